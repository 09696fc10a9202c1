/*
 * vgic_stress: the virtual GIC under load, on 4 vCPUs. Every interrupt must
 * arrive exactly once, where it was sent, in priority order.
 *
 * (a) storm: every vCPU sends STORM_N SGIs of each of its STORM_SGIS numbers
 *     to every other vCPU. SGIs of one number coalesce while pending, so a
 *     sender sends the next only once the receiver counted the previous
 *     (recvd == sent): every send must then produce exactly one interrupt, and
 *     a receipt beyond the sent count is a duplicate. SGI numbers are per
 *     sender (sender * STORM_SGIS + k), so the receiver knows who sent it; on
 *     GICv2 the IAR's CPUID must name the same sender.
 * (b)+(c) backlog: with IRQs masked, vCPU 0 makes 12 interrupts pending (4
 *     SGIs to itself, 4 PPIs and 4 SPIs by ISPENDR), three times the 4 list
 *     registers QEMU has, with distinct priorities; the other vCPUs send it
 *     SGI 5 too. Unmasked, each must arrive once, in priority order; SGI 5
 *     once on GICv3 (coalesced) and once per sender on GICv2 (per-CPU source).
 * (d) routing: SPIs re-routed every round (IROUTER / ITARGETSR) and made
 *     pending by ISPENDR must be taken by the vCPU they were routed to.
 */
#include "guest.h"

const char test_name[] = "vgic_stress";

#define NCPU 4
#define STORM_SGIS 3 /* SGIs per sender: 4 x 3 = 12 numbers */
#define STORM_N 50   /* per (sender, receiver, SGI number): 1800 IPIs in all */
#define MULTI_SGI 5
#define ORDER_N 12
#define ROUTE_SPI 48 /* 4 SPIs from here */
#define ROUTE_ROUNDS 8
#define MAX_ARRIVALS 32

enum phase { PH_SETUP, PH_STORM, PH_ORDER, PH_ROUTE, PH_DONE };

static volatile unsigned phase;
static volatile uint32_t arrived; /* barrier counter, monotonic */
static volatile uint32_t stray, dup, bad_source, misrouted;

/* (a) */
static volatile uint32_t sent[NCPU][NCPU][STORM_SGIS]; /* [sender][receiver][k] */
static volatile uint32_t recvd[NCPU][16];              /* [receiver][sgi] */

/* (b)+(c): SGIs 1-4, PPIs 20-23, SPIs 40-43 */
static const unsigned order_ids[ORDER_N] = {1, 2, 3, 4, 20, 21, 22, 23, 40, 41, 42, 43};
static uint8_t order_prio[64];
static volatile unsigned arrivals;
static unsigned arrival_id[MAX_ARRIVALS], arrival_src[MAX_ARRIVALS];

/* (d) */
static volatile unsigned route_expect[NCPU];
static volatile uint32_t route_hits;
static volatile uint32_t loops[NCPU], irqs[NCPU]; /* progress, for a stall report */

static unsigned this_cpu(void)
{
    return read_sysreg(mpidr_el1) & (GUEST_MAX_CPUS - 1);
}

static void atomic_inc(volatile uint32_t *p)
{
    __atomic_fetch_add(p, 1, __ATOMIC_ACQ_REL);
}

static uint64_t timeout_ticks(unsigned seconds)
{
    return seconds * cntfrq();
}

/* All four vCPUs meet here; gen counts this vCPU's barriers so far. */
static void barrier(unsigned *gen, const char *where)
{
    uint64_t t0 = cntvct();

    atomic_inc(&arrived);
    ++*gen;
    while (__atomic_load_n(&arrived, __ATOMIC_ACQUIRE) < *gen * NCPU)
        if (cntvct() - t0 > timeout_ticks(180))
            test_fail("barrier %s timeout cpu=%u arrived=%u", where, this_cpu(), arrived);
}

static void on_storm_sgi(unsigned me, unsigned sgi)
{
    unsigned src = sgi / STORM_SGIS, k = sgi % STORM_SGIS;
    uint32_t n = recvd[me][sgi] + 1;

    if (src >= NCPU || src == me) {
        atomic_inc(&stray);
        return;
    }
    if (n > __atomic_load_n(&sent[src][me][k], __ATOMIC_ACQUIRE))
        atomic_inc(&dup);
    if (plat.gic_version == 2 && gic_last_source() != src)
        atomic_inc(&bad_source);
    __atomic_store_n(&recvd[me][sgi], n, __ATOMIC_RELEASE);
}

static void on_irq(unsigned intid)
{
    unsigned me = this_cpu();

    irqs[me]++;
    switch (phase) {
    case PH_STORM:
        if (intid < 16)
            on_storm_sgi(me, intid);
        else
            atomic_inc(&stray);
        break;
    case PH_ORDER:
        if (me != 0 || arrivals >= MAX_ARRIVALS) {
            atomic_inc(&stray);
            break;
        }
        arrival_id[arrivals] = intid;
        arrival_src[arrivals] = plat.gic_version == 2 ? gic_last_source() : 0;
        arrivals++;
        break;
    case PH_ROUTE:
        if (intid < ROUTE_SPI || intid >= ROUTE_SPI + NCPU) {
            atomic_inc(&stray);
            break;
        }
        if (route_expect[intid - ROUTE_SPI] != me)
            atomic_inc(&misrouted);
        atomic_inc(&route_hits);
        break;
    default:
        atomic_inc(&stray);
    }
}

/* This vCPU's SGIs and PPIs: all enabled at one middle priority. */
static void setup_private(void)
{
    for (unsigned i = 0; i < 32; i++)
        gic_set_priority(i, 0x80);
    for (unsigned i = 0; i < 16; i++)
        gic_enable(i);
}

/* Name a slot whose SGI was sent but not received (a loss), else a stalled sender. */
static void storm_stuck(unsigned me)
{
    uint32_t total = 0;

    for (unsigned a = 0; a < NCPU; a++)
        for (unsigned t = 0; t < NCPU; t++)
            for (unsigned k = 0; k < STORM_SGIS && t != a; k++)
                total += sent[a][t][k];
    for (unsigned a = 0; a < NCPU; a++)
        for (unsigned t = 0; t < NCPU; t++)
            for (unsigned k = 0; k < STORM_SGIS && t != a; k++) {
                uint32_t s = sent[a][t][k], r = recvd[t][a * STORM_SGIS + k];
                if (s != r)
                    test_fail("storm timeout on cpu%u: cpu%u->cpu%u sgi=%u sent=%u received=%u "
                              "total_sent=%u irqs=%u,%u,%u,%u",
                              me, a, t, a * STORM_SGIS + k, s, r, total, irqs[0], irqs[1], irqs[2],
                              irqs[3]);
            }
    test_fail("storm timeout cpu=%u total_sent=%u loops=%u,%u,%u,%u", me, total, loops[0], loops[1],
              loops[2], loops[3]);
}

/* Send while the receiver has counted the previous SGI of that slot. */
static void storm(unsigned me)
{
    uint64_t t0 = cntvct();
    bool done = false;

    while (!done) {
        done = true;
        loops[me]++;
        for (unsigned t = 0; t < NCPU; t++) {
            if (t == me)
                continue;
            for (unsigned k = 0; k < STORM_SGIS; k++) {
                unsigned sgi = me * STORM_SGIS + k;
                uint32_t s = sent[me][t][k];
                if (s >= STORM_N)
                    continue;
                done = false;
                if (__atomic_load_n(&recvd[t][sgi], __ATOMIC_ACQUIRE) != s)
                    continue;
                __atomic_store_n(&sent[me][t][k], s + 1, __ATOMIC_RELEASE);
                gic_send_sgi(t, sgi);
            }
        }
        /* Generous: on an oversubscribed host (4 QEMU vCPU threads on 2 host
         * CPUs) a storm takes tens of seconds of counter time. */
        if (cntvct() - t0 > timeout_ticks(150))
            storm_stuck(me);
    }
}

/* The part of every phase all vCPUs run; vCPU 0 does the checking between. */
static void run_phases(unsigned me)
{
    unsigned gen = 0;

    setup_private();
    irq_enable();
    barrier(&gen, "setup");
    storm(me); /* phase = PH_STORM, set by vCPU 0 before "setup" */
    barrier(&gen, "storm");
    barrier(&gen, "order-masked"); /* vCPU 0 has masked and pended its backlog */
    if (me != 0)
        gic_send_sgi(0, MULTI_SGI);
    barrier(&gen, "order-sent");
    barrier(&gen, "route"); /* vCPU 0 runs the routing rounds after this */
    barrier(&gen, "done");
}

void test_secondary(uint64_t context_id)
{
    run_phases(this_cpu());
    irq_disable();
    for (;;)
        wfi(); /* vCPU 0 reports and powers the domain off */
}

/* Every SGI of the storm has been counted by its receiver. */
static bool storm_all_received(void)
{
    for (unsigned r = 0; r < NCPU; r++)
        for (unsigned s = 0; s < NCPU; s++)
            for (unsigned k = 0; k < STORM_SGIS && s != r; k++)
                if (__atomic_load_n(&recvd[r][s * STORM_SGIS + k], __ATOMIC_ACQUIRE) < STORM_N)
                    return false;
    return true;
}

static void check_storm(void)
{
    uint32_t total = 0;

    /* The last SGIs may still be on their way to a receiver that is not
     * running (vCPUs share pCPUs): wait for them, up to 2 s, then give a late
     * duplicate this quiet time to show up. */
    uint64_t t0 = cntvct();
    while (!storm_all_received() && cntvct() - t0 < 2 * cntfrq())
        ;
    t0 = cntvct();
    while (cntvct() - t0 < cntfrq() / 50)
        ;
    for (unsigned r = 0; r < NCPU; r++)
        for (unsigned s = 0; s < NCPU; s++)
            for (unsigned k = 0; k < STORM_SGIS && s != r; k++) {
                uint32_t got = recvd[r][s * STORM_SGIS + k];
                if (got != STORM_N || sent[s][r][k] != STORM_N)
                    test_fail("storm cpu%u->cpu%u sgi=%u sent=%u received=%u", s, r,
                              s * STORM_SGIS + k, sent[s][r][k], got);
                total += got;
            }
    if (dup || stray || bad_source)
        test_fail("storm duplicates=%u stray=%u v2_bad_source=%u", dup, stray, bad_source);
    if (total != NCPU * (NCPU - 1) * STORM_SGIS * STORM_N)
        test_fail("storm total=%u", total);
}

/* vCPU 0, IRQs masked: make the backlog pending. */
static void order_prepare(void)
{
    for (unsigned i = 0; i < ORDER_N; i++) {
        unsigned id = order_ids[i];
        /* A permutation of 0x00..0xb0, so no kind of interrupt is favoured. */
        order_prio[id] = (uint8_t)(((i * 5) % ORDER_N) * 0x10);
        gic_set_priority(id, order_prio[id]);
        if (id >= 16)
            gic_set_edge(id);
        if (id >= 32)
            gic_route_spi(id, 0);
        gic_enable(id);
    }
    order_prio[MULTI_SGI] = 0xc0; /* lowest: arrives last */
    gic_set_priority(MULTI_SGI, 0xc0);
    for (unsigned i = 0; i < ORDER_N; i++) {
        unsigned id = order_ids[i];
        if (id < 16)
            gic_send_sgi(0, id);
        else
            gic_set_pending(id);
    }
    gic_send_sgi(0, MULTI_SGI);
}

static void check_order(unsigned expected_multi)
{
    unsigned want = ORDER_N + expected_multi, multi = 0, seen_src = 0;
    unsigned count[64] = {0};
    uint64_t t0 = cntvct();

    irq_enable();
    while (arrivals < want && cntvct() - t0 < timeout_ticks(5))
        ;
    for (t0 = cntvct(); cntvct() - t0 < cntfrq() / 50;)
        ; /* late duplicates */
    irq_disable();
    if (arrivals != want)
        test_fail("backlog arrivals=%u expected=%u (stray=%u)", arrivals, want, stray);
    for (unsigned n = 0; n < arrivals; n++) {
        unsigned id = arrival_id[n];
        if (id < 64)
            count[id]++;
        if (id == MULTI_SGI) {
            multi++;
            seen_src |= 1u << arrival_src[n];
        }
        if (n && id < 64 && arrival_id[n - 1] < 64 &&
            order_prio[arrival_id[n - 1]] > order_prio[id])
            test_fail("backlog out of priority order: intid %u (prio 0x%x) after %u (prio 0x%x)",
                      id, order_prio[id], arrival_id[n - 1], order_prio[arrival_id[n - 1]]);
    }
    for (unsigned i = 0; i < ORDER_N; i++)
        if (count[order_ids[i]] != 1)
            test_fail("backlog intid %u arrived %u times", order_ids[i], count[order_ids[i]]);
    if (multi != expected_multi || (plat.gic_version == 2 && seen_src != 0xf))
        test_fail("sgi %u from 4 senders arrived %u times (expected %u) sources=0x%x", MULTI_SGI,
                  multi, expected_multi, seen_src);
}

static void route_rounds(void)
{
    for (unsigned k = 0; k < NCPU; k++) {
        gic_set_priority(ROUTE_SPI + k, 0x80);
        gic_set_edge(ROUTE_SPI + k);
        gic_enable(ROUTE_SPI + k);
    }
    irq_enable();
    for (unsigned r = 0; r < ROUTE_ROUNDS; r++) {
        for (unsigned k = 0; k < NCPU; k++) {
            route_expect[k] = (k + r) % NCPU;
            gic_route_spi(ROUTE_SPI + k, route_expect[k]);
        }
        dsb_sy();
        for (unsigned k = 0; k < NCPU; k++)
            gic_set_pending(ROUTE_SPI + k);
        uint64_t t0 = cntvct();
        while (route_hits < (r + 1) * NCPU)
            if (cntvct() - t0 > timeout_ticks(5))
                test_fail("route round %u hits=%u expected=%u", r, route_hits, (r + 1) * NCPU);
    }
    irq_disable();
}

void test_main(void)
{
    unsigned gen = 0;

    if (plat.cpu_count < NCPU)
        test_fail("needs %d vCPUs, DT has %u", NCPU, plat.cpu_count);
    if (gic_nr_intids() < ROUTE_SPI + NCPU)
        test_fail("needs SPIs up to %d, GICD_TYPER gives %u INTIDs", ROUTE_SPI + NCPU - 1,
                  gic_nr_intids());
    for (unsigned i = 0; i < 64; i++)
        irq_register(i, on_irq);
    phase = PH_STORM;
    for (unsigned c = 1; c < NCPU; c++) {
        long rc = psci_call(PSCI_CPU_ON64, plat.cpu_mpidr[c], (uintptr_t)secondary_entry, c);
        if (rc)
            test_fail("CPU_ON(%u) ret=%ld", c, rc);
    }
    /* vCPU 0's own run_phases, unrolled so it can check between barriers. */
    setup_private();
    irq_enable();
    barrier(&gen, "setup");
    uint64_t t0 = cntvct();
    storm(0);
    barrier(&gen, "storm");
    uint64_t storm_ticks = cntvct() - t0;
    check_storm();
    test_run("storm ipis=%d ticks=%llu", NCPU * (NCPU - 1) * STORM_SGIS * STORM_N,
             (unsigned long long)storm_ticks);

    irq_disable();
    phase = PH_ORDER;
    order_prepare();
    barrier(&gen, "order-masked");
    barrier(&gen, "order-sent");
    unsigned expected_multi = plat.gic_version == 2 ? NCPU : 1;
    check_order(expected_multi);

    phase = PH_ROUTE;
    dsb_sy();
    barrier(&gen, "route");
    route_rounds();
    phase = PH_DONE;
    barrier(&gen, "done");
    if (stray || misrouted)
        test_fail("route misrouted=%u stray=%u", misrouted, stray);
    test_pass("storm_ipis=%d backlog=%u multi_sgi=%u routed=%u order=ok gic=v%d ticks=%llu",
              NCPU * (NCPU - 1) * STORM_SGIS * STORM_N, ORDER_N, expected_multi,
              (unsigned)route_hits, plat.gic_version, (unsigned long long)storm_ticks);
}
