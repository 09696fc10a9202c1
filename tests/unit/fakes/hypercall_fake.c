/* Host stand-ins under the Xen hypercall decoders; see fakes/hypercall_fake.h. */
#include <stdlib.h>
#include <string.h>
#include <boot/domain_build.h>
#include <cloison/arch.h>
#include <cloison/errno.h>
#include <cloison/mm.h>
#include <cloison/p2m.h>
#include <cloison/percpu.h>
#include <console/console.h>
#include <core/domain.h>
#include <core/foreign_map.h>
#include <core/sched.h>
#include <core/vcpu.h>
#include <vdev/vpl011.h>
#include <xen/dom0_console.h>
#include <xen/evtchn.h>
#include <xen/grant.h>
#include <xen/hypercall.h>
#include <xen/pvconsole.h>
#include <xen/xen_domain.h>
#include "hypercall_fake.h"
#include "cpupool_fake.h"

uint64_t fake_guest_writes, fake_guest_reads, fake_ro_gfn;
unsigned int fake_yields, fake_blocks, fake_pvcons_polls, fake_runstate_updates, fake_shutdowns;
unsigned int fake_upcalls[FAKE_P2M_DOMS][8];
char fake_con_out[FAKE_P2M_DOMS][FAKE_CON_MAX];
size_t fake_con_len[FAKE_P2M_DOMS];
uint64_t fake_now;
unsigned int fake_affinity_moves;

static struct domain *doms[FAKE_P2M_DOMS];

/* ---- guest memory: a stage 1 that is off over the fake stage 2 ---- */

/* The domain's own RAM, as xen/guest_copy.c requires. */
static bool owns(const struct domain *d, paddr_t pa)
{
    for (size_t i = 0; i < d->nr_ram_chunks; i++) {
        paddr_t s = d->ram_chunks[i].pa;
        if (pa >= s && pa < s + (PAGE_SIZE << d->ram_chunks[i].order))
            return true;
    }
    return false;
}

void *fake_gva(struct domain *d, uint64_t gva)
{
    paddr_t pa;
    enum p2m_type t;
    if (gva >> FAKE_IPA_BITS || !p2m_lookup(&d->p2m, gva & PAGE_MASK, &pa, &t) ||
        !owns(d, pa & PAGE_MASK))
        return NULL;
    return phys_to_virt((pa & PAGE_MASK) | (gva & (PAGE_SIZE - 1)));
}

/* The vCPU whose hypercall is running: the real xen/guest_copy.c translates
 * in its context. */
static struct vcpu *running;

/* Its stage 1 is off (VA == IPA); stage 2 is the fake one. Counts the pages
 * xen/guest_copy.c is let at, reading or writing. */
paddr_t arch_guest_va_to_pa(vaddr_t va, bool write)
{
    paddr_t pa;
    enum p2m_type t;
    if (!running || va >> FAKE_IPA_BITS ||
        !p2m_lookup(&running->domain->p2m, va & PAGE_MASK, &pa, &t))
        return 0;
    if (write && fake_ro_gfn && va >> PAGE_SHIFT == fake_ro_gfn)
        return 0;
    if (write)
        fake_guest_writes++;
    else
        fake_guest_reads++;
    return (pa & PAGE_MASK) | (va & (PAGE_SIZE - 1));
}

/* Stage 1 off: the IPA is the VA. */
ipa_t arch_guest_va_to_ipa(vaddr_t va, bool write, bool *ok)
{
    (void)write;
    *ok = running != NULL;
    return va;
}

/* ---- domains ---- */

struct domain *fake_dom(uint16_t id)
{
    return id < FAKE_P2M_DOMS ? doms[id] : NULL;
}

struct domain *domain_by_id(uint16_t id)
{
    return fake_dom(id);
}

struct domain *domain_get(uint16_t id)
{
    struct domain *d = fake_dom(id);
    if (d)
        d->refs++;
    return d;
}

struct domain *domain_get_next(uint16_t min_id)
{
    for (unsigned int i = min_id; i < FAKE_P2M_DOMS; i++)
        if (doms[i])
            return domain_get((uint16_t)i);
    return NULL;
}

void domain_put(struct domain *d)
{
    if (d->refs == 0)
        abort(); /* a put without its get */
    d->refs--;
}

void domain_for_each(void (*fn)(struct domain *d))
{
    for (unsigned int i = 0; i < FAKE_P2M_DOMS; i++)
        if (doms[i])
            fn(doms[i]);
}

unsigned int fake_refs_held(void)
{
    unsigned int n = 0;
    for (unsigned int i = 0; i < FAKE_P2M_DOMS; i++)
        n += doms[i] ? doms[i]->refs : 0;
    return n;
}

/* xen/xen_domain.c's xen_domain_init, without the vGIC and the counter. */
static void xen_init(struct domain *d)
{
    struct xen_dom *x = xzalloc(sizeof(*x));
    x->d = d;
    x->domid = d->id;
    x->privileged = d->is_privileged;
    x->nr_vcpus = d->nr_vcpus;
    x->shinfo = phys_to_virt(page_alloc(0));
    x->shinfo_gfn = GFN_INVALID;
    if (evtchn_init(x) != 0)
        abort();
    d->xen = x;
    if (gnttab_domain_init(d) != 0)
        abort();
}

struct domain *fake_domain(uint16_t id, unsigned int flags, unsigned int nr_vcpus)
{
    if (id >= FAKE_P2M_DOMS || doms[id] || nr_vcpus > DOMAIN_MAX_VCPUS)
        abort();
    struct domain *d = fake_ram_domain(id);
    d->is_privileged = flags & FAKE_PRIV;
    d->xen_enhanced = flags & FAKE_XEN;
    d->nr_vcpus = nr_vcpus;
    d->ram_base = FAKE_RAM_VA;
    d->ram_size = FAKE_RAM_PAGES * PAGE_SIZE;
    for (unsigned int i = 0; i < nr_vcpus; i++) {
        struct vcpu *v = calloc(1, sizeof(*v));
        v->domain = d;
        v->id = i;
        v->state = VCPU_RUNNABLE;
        v->hard_affinity = v->soft_affinity = SCHED_AFFINITY_ALL;
        v->pcpu = i % nr_pcpus;
        v->placed = true;
        d->vcpus[i] = v;
    }
    doms[id] = d;
    if (flags & FAKE_XEN) {
        xen_init(d);
        dom0_console_init(d); /* only the control domain joins the input */
    }
    return d;
}

/* core/domain.c's domain_free, for the parts this world has. */
void fake_domain_free(struct domain *d)
{
    if (d->xen) {
        evtchn_destroy(d->xen);
        page_free(virt_to_phys(d->xen->shinfo), 0);
        xfree(d->xen);
        d->xen = NULL;
    }
    gnttab_domain_destroy(d);
    dom0_console_destroy(d);
    vpl011_domain_destroy(d); /* after the Xen part, as composed */
    for (unsigned int i = 0; i < d->nr_vcpus; i++)
        free(d->vcpus[i]);
    foreign_domain_destroy(d);
    foreign_release_chunks(d->id, d->ram_chunks, d->nr_ram_chunks);
    xfree(d->ram_chunks);
    xfree(d->ram_by_pa);
    doms[d->id] = NULL;
    free(d);
}

static struct domain *con_dom;
static console_rx_fn con_rx;

void fake_world_reset(void)
{
    for (unsigned int i = 0; i < FAKE_P2M_DOMS; i++)
        if (doms[i])
            fake_domain_free(doms[i]);
    fake_guest_writes = fake_guest_reads = fake_ro_gfn = 0;
    fake_yields = fake_blocks = fake_pvcons_polls = fake_runstate_updates = fake_shutdowns = 0;
    memset(fake_upcalls, 0, sizeof(fake_upcalls));
    memset(&fake_ctl, 0, sizeof(fake_ctl));
    memset(fake_con_len, 0, sizeof(fake_con_len));
    memset(fake_spi_level, 0, sizeof(fake_spi_level));
    memset(fake_spi_changes, 0, sizeof(fake_spi_changes));
    fake_now = 0;
    fake_affinity_moves = 0;
    fake_cpupool_reset();
}

/* ---- calling into the decoders as a guest ---- */

#define REG_PATTERN(i) (0x5a5a000000000000ULL | (i))

int64_t fake_hypercall(struct vcpu *v, uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2,
                       uint64_t a3, uint64_t a4)
{
    uint64_t *x = v->arch.regs.x;
    for (unsigned int i = 5; i < 16; i++)
        x[i] = REG_PATTERN(i);
    x[16] = nr;
    x[0] = a0, x[1] = a1, x[2] = a2, x[3] = a3, x[4] = a4;
    v->arch.regs.elr = FAKE_HVC_PC + 4;
    running = v;
    hypercall_dispatch(v);
    running = NULL;
    return (int64_t)x[0];
}

bool fake_continued(const struct vcpu *v)
{
    return v->arch.regs.elr == FAKE_HVC_PC;
}

int64_t fake_reissue(struct vcpu *v)
{
    const uint64_t *x = v->arch.regs.x;
    return fake_hypercall(v, x[16], x[0], x[1], x[2], x[3], x[4]);
}

bool fake_regs_intact(const struct vcpu *v, uint64_t nr)
{
    for (unsigned int i = 5; i < 16; i++)
        if (v->arch.regs.x[i] != REG_PATTERN(i))
            return false;
    return v->arch.regs.x[16] == nr;
}

/* ---- what the decoders call beside the Xen state ---- */

void vcpu_yield(struct vcpu *v)
{
    (void)v;
    fake_yields++;
}

void vcpu_block(struct vcpu *v)
{
    fake_blocks++;
    v->state = VCPU_BLOCKED; /* as core/sched.c: at once, the switch comes later */
}

uint64_t sched_online_mask(void)
{
    uint64_t m = 0;
    for (unsigned int c = 0; c < nr_pcpus; c++)
        if (pcpus[c].online)
            m |= 1ULL << c;
    return m;
}

/* core/sched.c's rule, with the move made at once (test_sched_affinity
 * tests the real one): the lowest pCPU of the map if its own is not in it. */
int sched_set_hard_affinity(struct vcpu *v, uint64_t mask)
{
    uint64_t usable = mask & sched_domain_cpus(v->domain);
    if (!usable)
        return -EINVAL;
    v->hard_affinity = mask;
    if (!(usable & (1ULL << v->pcpu)))
        v->pcpu = (unsigned int)__builtin_ctzll(usable);
    fake_affinity_moves++;
    return 0;
}

void sched_set_soft_affinity(struct vcpu *v, uint64_t mask)
{
    v->soft_affinity = mask;
}

void domain_shutdown(struct domain *d, shutdown_reason_t reason)
{
    d->shutdown_reason = reason;
    fake_shutdowns++;
}

void domain_set_shutdown_code(struct domain *d, shutdown_reason_t reason)
{
    d->shutdown_reason = reason; /* the latching rule: test_domain_life */
}

void pvconsole_poll(struct domain *d)
{
    (void)d;
    fake_pvcons_polls++;
}

void xen_runstate_update(struct vcpu *v)
{
    (void)v;
    fake_runstate_updates++;
}

void xen_upcall_raise(struct xen_dom *x, unsigned int vcpu)
{
    if (vcpu < x->nr_vcpus && x->domid < FAKE_P2M_DOMS)
        fake_upcalls[x->domid][vcpu]++;
}

size_t console_guest_write(struct domain *d, const char *buf, size_t len)
{
    size_t *n = &fake_con_len[d->id];
    size_t take = MIN(len, FAKE_CON_MAX - *n);
    memcpy(fake_con_out[d->id] + *n, buf, take);
    *n += take;
    return len;
}

void console_input_attach(struct domain *d, console_rx_fn rx)
{
    con_dom = d;
    con_rx = rx;
}

void console_input_detach(struct domain *d)
{
    if (con_dom == d)
        con_dom = NULL;
}

size_t fake_type(const char *s, size_t len)
{
    return con_dom ? con_rx(con_dom, s, len) : 0;
}

uint64_t arch_counter(void)
{
    return fake_now;
}

uint64_t arch_counter_freq(void)
{
    return FAKE_FREQ;
}

/* ---- the host, as the control interface reports it ---- */

struct pcpu pcpus[MAX_PCPUS] = {[0] = {.online = true}, [1] = {.online = true}};
unsigned int nr_pcpus = 2;
_Thread_local void *fake_cpu_local = &pcpus[0]; /* the calls run on pCPU 0 */

static const struct mem_range fake_banks[] = {
    {.start = 0x40000000ULL, .size = FAKE_HOST_RAM_BYTES},
};

unsigned int mm_ram_banks(const struct mem_range **out)
{
    *out = fake_banks;
    return 1;
}

size_t mm_total_pages(void)
{
    return FAKE_HOST_RAM_BYTES >> PAGE_SHIFT;
}

unsigned int domain_count(void)
{
    unsigned int n = 0;
    for (unsigned int i = 0; i < FAKE_P2M_DOMS; i++)
        n += doms[i] != NULL;
    return n;
}
