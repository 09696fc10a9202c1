/*
 * The current mode's SPSR of AArch32 vCPUs across vCPU switches and injected
 * exceptions (lib/a32_spsr.c), on a model of two kinds of CPU: one that
 * follows the architecture (the SPSR of the current mode is SPSR_<mode>)
 * and one that keeps it apart and moves it to and from the banks only when
 * the AArch32 code changes mode itself (QEMU's TCG). Random runs of guests
 * that write an SPSR, get interrupted before using it, move between pCPUs and
 * are resumed there must always read back their own value.
 */
#include <lib/a32_spsr.h>
#include "harness.h"
#define TEST_RNG_SEED 0x5c0ffee5a32ULL
#include "test_rng.h"

#define NBANK 6
#define NPCPU 2
#define NVCPU 3

struct sim_pcpu {
    bool apart;           /* the CPU kind */
    uint32_t live;        /* the SPSR AArch32 code reads, when apart */
    uint64_t bank[NBANK]; /* SPSR_EL1, SPSR_abt/und/irq/fiq as EL2 sees them */
    uint64_t holder;      /* the hypervisor's record for this pCPU */
    int loaded;           /* vCPU loaded, -1: none */
};

struct sim_vcpu {
    uint64_t cpsr;        /* the saved PSTATE: its mode is the current mode */
    uint64_t bank[NBANK]; /* saved banked SPSRs */
    uint64_t token;
    uint32_t want[NBANK]; /* what the guest wrote or the CPU set last */
};

static struct sim_pcpu pcpu[NPCPU];
static struct sim_vcpu vcpu[NVCPU];
static struct sim_pcpu *cur; /* the pCPU the ops act on */
static uint64_t tokens;
static unsigned int live_accesses;
static bool protocol = true; /* false: the hypervisor without it */

static const unsigned int modes[] = {A32_MODE_USR, A32_MODE_SVC, A32_MODE_ABT, A32_MODE_UND,
                                     A32_MODE_IRQ, A32_MODE_FIQ, A32_MODE_SYS};

static unsigned int mode_of(uint64_t cpsr)
{
    return (unsigned int)cpsr & A32_MODE_MASK;
}

/* The CPU's side, as the ops see it. */
static uint32_t live_read(struct sim_pcpu *p, unsigned int mode)
{
    return p->apart ? p->live : (uint32_t)p->bank[a32_spsr_bank(mode)];
}

static void live_write(struct sim_pcpu *p, unsigned int mode, uint32_t v)
{
    if (p->apart)
        p->live = v;
    else
        p->bank[a32_spsr_bank(mode)] = v;
}

static uint32_t op_live_get(unsigned int mode)
{
    CHECK(a32_spsr_bank(mode) != A32_SPSR_NONE);
    live_accesses++;
    return live_read(cur, mode);
}

static void op_live_set(unsigned int mode, uint32_t v)
{
    CHECK(a32_spsr_bank(mode) != A32_SPSR_NONE);
    live_accesses++;
    live_write(cur, mode, v);
}

static uint64_t op_bank_read(enum a32_spsr_bank b)
{
    return cur->bank[b];
}

static void op_bank_write(enum a32_spsr_bank b, uint64_t v)
{
    cur->bank[b] = v;
}

static uint64_t op_new_token(void)
{
    return ++tokens;
}

static const struct a32_spsr_cpu ops = {op_live_get, op_live_set, op_bank_read, op_bank_write,
                                        op_new_token};

/* The hypervisor's side: the same calls as arch/arm64/context.c and
 * trap/aarch32_inject.c make. */
static void hv_load(int p, int v)
{
    cur = &pcpu[p];
    memcpy(cur->bank, vcpu[v].bank, sizeof(cur->bank));
    cur->loaded = v;
}

static void hv_save(int p)
{
    cur = &pcpu[p];
    struct sim_vcpu *s = &vcpu[cur->loaded];
    if (protocol)
        a32_spsr_capture(&ops, cur->holder, s->token, s->cpsr);
    memcpy(s->bank, cur->bank, sizeof(s->bank));
    cur->loaded = -1;
}

static void hv_entry(int p)
{
    cur = &pcpu[p];
    struct sim_vcpu *s = &vcpu[cur->loaded];
    if (protocol)
        a32_spsr_restore(&ops, &cur->holder, &s->token, s->cpsr);
}

/* An exception EL2 injects into the loaded vCPU: mode `to`, SPSR_to the
 * interrupted CPSR. */
static void hv_inject(int p, unsigned int to)
{
    cur = &pcpu[p];
    struct sim_vcpu *s = &vcpu[cur->loaded];
    if (protocol)
        a32_spsr_capture(&ops, cur->holder, s->token, s->cpsr);
    s->token = 0;
    enum a32_spsr_bank b = a32_spsr_bank(to);
    cur->bank[b] = s->cpsr;
    s->want[b] = (uint32_t)s->cpsr;
    s->cpsr = (s->cpsr & ~(uint64_t)A32_MODE_MASK) | to;
}

/* The guest's side, running on pCPU p. */
static void guest_write_spsr(int p, uint32_t val)
{
    struct sim_vcpu *s = &vcpu[pcpu[p].loaded];
    enum a32_spsr_bank b = a32_spsr_bank(s->cpsr);
    if (b == A32_SPSR_NONE)
        return;
    live_write(&pcpu[p], mode_of(s->cpsr), val);
    s->want[b] = val;
}

static bool guest_spsr_ok(int p)
{
    struct sim_vcpu *s = &vcpu[pcpu[p].loaded];
    enum a32_spsr_bank b = a32_spsr_bank(s->cpsr);
    return b == A32_SPSR_NONE || live_read(&pcpu[p], mode_of(s->cpsr)) == s->want[b];
}

/* A mode change by the AArch32 code itself (an exception taken within EL1,
 * an exception return, CPS): the CPU that keeps the live SPSR apart banks
 * it and loads the new mode's. */
static void guest_mode_change(int p, unsigned int to, bool exception)
{
    struct sim_pcpu *c = &pcpu[p];
    struct sim_vcpu *s = &vcpu[c->loaded];
    uint64_t old = s->cpsr;
    if (c->apart) {
        enum a32_spsr_bank ob = a32_spsr_bank(old), nb = a32_spsr_bank(to);
        if (ob != A32_SPSR_NONE)
            c->bank[ob] = c->live;
        c->live = nb != A32_SPSR_NONE ? (uint32_t)c->bank[nb] : 0;
    }
    s->cpsr = (old & ~(uint64_t)A32_MODE_MASK) | to;
    if (exception)
        guest_write_spsr(p, (uint32_t)old);
}

static void reset(bool apart)
{
    memset(pcpu, 0, sizeof(pcpu));
    memset(vcpu, 0, sizeof(vcpu));
    tokens = 0;
    live_accesses = 0;
    for (int p = 0; p < NPCPU; p++) {
        pcpu[p].apart = apart;
        pcpu[p].loaded = -1;
        pcpu[p].live = 0xdead0000U | (unsigned int)p;
    }
    for (int v = 0; v < NVCPU; v++)
        vcpu[v].cpsr = A32_MODE_SVC | 0x1c0; /* AIF masked */
}

/*
 * Random life: vCPUs taken on and off the pCPUs, and while running, the
 * guest writing its SPSR, changing mode, being injected an exception. The
 * guest checks its SPSR at every resume (the exit fell between its
 * `msr spsr` and its exception return). Returns the failed checks.
 */
static unsigned int run(bool apart, unsigned int steps)
{
    reset(apart);
    unsigned int bad = 0;
    bool queued[NVCPU] = {false};
    for (unsigned int i = 0; i < steps; i++) {
        int p = (int)(rnd() % NPCPU);
        struct sim_pcpu *c = &pcpu[p];
        if (c->loaded < 0 || rnd() % 4 == 0) {
            /* A switch: out with the one there, in with one that is free. */
            if (c->loaded >= 0) {
                queued[c->loaded] = false;
                hv_save(p);
            }
            int v = (int)(rnd() % NVCPU);
            if (queued[v])
                continue;
            queued[v] = true;
            hv_load(p, v);
        }
        switch (rnd() % 5) {
        case 0:
            hv_inject(p, rnd() % 2 ? A32_MODE_UND : A32_MODE_ABT);
            break;
        case 1:
            hv_entry(p);
            guest_mode_change(p, modes[rnd() % 7], rnd() % 2);
            break;
        default:
            break;
        }
        hv_entry(p);
        if (!guest_spsr_ok(p))
            bad++;
        guest_write_spsr(p, (uint32_t)rnd());
    }
    return bad;
}

TEST(bank_of_each_mode)
{
    CHECK_EQ(a32_spsr_bank(A32_MODE_SVC | 0x20 | 0x80), A32_SPSR_SVC);
    CHECK_EQ(a32_spsr_bank(A32_MODE_ABT), A32_SPSR_ABT);
    CHECK_EQ(a32_spsr_bank(A32_MODE_UND), A32_SPSR_UND);
    CHECK_EQ(a32_spsr_bank(A32_MODE_IRQ), A32_SPSR_IRQ);
    CHECK_EQ(a32_spsr_bank(A32_MODE_FIQ), A32_SPSR_FIQ);
    CHECK_EQ(a32_spsr_bank(A32_MODE_USR), A32_SPSR_NONE);
    CHECK_EQ(a32_spsr_bank(A32_MODE_SYS), A32_SPSR_NONE);
    CHECK_EQ(a32_spsr_bank(A32_MODE_HYP), A32_SPSR_NONE);
    CHECK(!a32_spsr_held(0, 0));
    CHECK(!a32_spsr_held(3, 0));
    CHECK(!a32_spsr_held(3, 4));
    CHECK(a32_spsr_held(4, 4));
}

/* The failure test_armhf_xl_create saw: vCPU 0 sets SPSR_svc for its
 * exception return, an exit comes before the return, vCPU 1 runs on that
 * pCPU and sets its own, vCPU 0 resumes there. */
TEST(interrupted_return_on_a_shared_pcpu)
{
    for (int with = 0; with < 2; with++) {
        protocol = with;
        reset(true);
        hv_load(0, 0);
        hv_entry(0);
        guest_write_spsr(0, 0x10); /* vCPU 0: back to usr */
        hv_save(0);                /* exit before its ldm ^, switched out */
        hv_load(0, 1);
        hv_entry(0);
        guest_write_spsr(0, 0x600001d3); /* vCPU 1: back to svc */
        hv_save(0);
        hv_load(0, 0);
        hv_entry(0);
        CHECK_EQ(guest_spsr_ok(0), with);
    }
    protocol = true;
}

/* The same vCPU moved to the other pCPU, where another ran. */
TEST(interrupted_return_after_a_move)
{
    reset(true);
    hv_load(1, 2);
    hv_entry(1);
    guest_write_spsr(1, 0x33);
    hv_save(1);
    hv_load(0, 0);
    hv_entry(0);
    guest_write_spsr(0, 0x10);
    hv_save(0);
    hv_load(1, 0); /* vCPU 0 moves to pCPU 1 */
    hv_entry(1);
    CHECK(guest_spsr_ok(1));
    hv_save(1);
    hv_load(0, 2); /* vCPU 2 moves to pCPU 0 */
    hv_entry(0);
    CHECK(guest_spsr_ok(0));
}

/* An injected undef's handler reads SPSR_und: the interrupted CPSR. */
TEST(injected_exception_reads_its_spsr)
{
    reset(true);
    hv_load(0, 0);
    hv_entry(0);
    guest_write_spsr(0, 0x1d3);
    hv_inject(0, A32_MODE_UND);
    hv_entry(0);
    CHECK(guest_spsr_ok(0));
    /* back in SVC by the guest's own return: its SPSR_svc is still there */
    guest_mode_change(0, A32_MODE_SVC, false);
    CHECK(guest_spsr_ok(0));
}

TEST(random_runs)
{
    protocol = true;
    CHECK_EQ(run(true, 20000), 0);
    CHECK_EQ(run(false, 20000), 0);
    /* Without the protocol, the CPU that keeps it apart fails them. */
    protocol = false;
    CHECK(run(true, 20000) > 0);
    CHECK_EQ(run(false, 20000), 0);
    protocol = true;
}

/* A vCPU that stays on its pCPU, exit after exit, costs no access. */
TEST(nothing_moved_nothing_done)
{
    reset(true);
    hv_load(0, 1);
    hv_entry(0);
    unsigned int first = live_accesses;
    CHECK_EQ(first, 1);
    for (int i = 0; i < 100; i++) {
        guest_write_spsr(0, (uint32_t)i);
        hv_entry(0);
        CHECK(guest_spsr_ok(0));
    }
    CHECK_EQ(live_accesses, first);
    /* Switched out and in again on the same pCPU: the capture only. */
    hv_save(0);
    hv_load(0, 1);
    hv_entry(0);
    CHECK(guest_spsr_ok(0));
    CHECK_EQ(live_accesses, first + 1); /* the capture at the switch-out */
}
