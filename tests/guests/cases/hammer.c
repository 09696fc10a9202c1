/*
 * hammer: every vCPU of the domain (2-4) hammers the same hypervisor objects
 * at once, in a random order, until one of them shuts the domain down in the
 * middle of it all. Meant to restart itself hundreds of times
 * (on_reboot/on_crash = "restart"; tests/integration/test_hammer.py).
 *
 * The objects, all shared by every vCPU:
 *  - event channels: a table of 64 port numbers that any vCPU fills with
 *    alloc_unbound (to itself or to its peer), bind_interdomain (loopback,
 *    or to a port number the peer may have made for it), bind_ipi, and
 *    empties with close; send, unmask, bind_vcpu, status on whatever port
 *    is there; now and then a reset. The peer is any other Xen-enhanced
 *    domain it finds (another hammer: both restart, so it looks again)
 *  - grant table: frame 0 at a fixed GFN holds 16 grants of own pages, to
 *    itself or the peer, rewritten (permit, read-only, revoked) while other
 *    vCPUs map them (or the peer's) into a 16-GFN window, unmap, and copy
 *    between them; set_version, setup_table, query_size
 *  - the window is contested: grant frames 1-3 and shared_info are added
 *    there (XENMEM_add_to_physmap) and removed (remove_from_physmap) on top
 *    of the grant mappings
 *  - FIFO event channels: init_control of any vCPU (own control page or
 *    another's), expand_array, set_priority, and event words the guest
 *    scribbles on (links to anywhere, to themselves), then reset back to
 *    2-level under the others
 *  - vcpu_op on each other's vCPUs: register_vcpu_info,
 *    register_runstate_memory_area, and the timer/is_up commands
 *  - memory: decrease_reservation / populate_physmap of 8 pages, and
 *    remove_from_physmap of the pages the hypervisor writes (vcpu_info,
 *    FIFO control blocks and event array) while it may be using them; the
 *    first page taken out of the 2 MiB block that also holds this guest's
 *    code splits it under the other vCPUs' instruction fetches (before
 *    break-before-make faults were retried, issue 9 finding 4, they got an
 *    external abort: "unexpected exception esr=0x86000010")
 *  - PSCI CPU_ON of each other, CPU_OFF of oneself, AFFINITY_INFO
 *  - traps: CNTP_TVAL/CTL writes, WFI with the virtual timer armed, SGIs
 * One vCPU (the killer, random) shuts the domain down after a random
 * 0-3 ms (reboot, PSCI SYSTEM_RESET or crash); one time in four a second
 * vCPU does the same at the same moment.
 *
 * The domain counts its boots by its domain id, which grows by one at each
 * restart: `last=N` makes the boot with domain id N the final one, which
 * hammers like the others but ends with PASS and a power-off (destroy).
 * Every hypercall result must look like Xen's (0, a small -errno, or a port
 * / PSCI code); anything else is a FAIL.
 * Output: one RUN line per boot, a PASS line at the last.
 */
#include "xen_guest.h"
#include <public/grant_table.h>
#include <public/sched.h>

const char test_name[] = "hammer";

#define GNT_GFN 0x38000ull /* grant frame 0: the entries this guest writes */
#define WIN_GFN 0x38010ull /* the contested window */
#define WIN_PAGES 16
#define NPAGES 8 /* own pages granted */
#define FIRST_REF 8
#define NREFS 16
#define NPORTS 64
#define NMAPS 32
#define BATCH 24 /* grant maps in one call */
#define MAX_DELAY_US 3000
#define PTIMER_PPI 30
#define VCPUOP_set_periodic_timer 6
#define VCPUOP_stop_singleshot_timer 9

static uint8_t pages[NPAGES][4096] __attribute__((aligned(4096)));
static uint8_t vinfo_page[4096] __attribute__((aligned(4096)));
/* FIFO: a control block page per vCPU and the event array's pages. */
static uint8_t ctrl_pages[GUEST_MAX_CPUS][4096] __attribute__((aligned(4096)));
static uint8_t array_pages[4][4096] __attribute__((aligned(4096)));
/* Given back and taken again (decrease_reservation / populate_physmap). */
static uint8_t balloon_pages[8][4096] __attribute__((aligned(4096)));
static struct vcpu_runstate_info runstate[GUEST_MAX_CPUS];
static volatile uint32_t ports[NPORTS];
static volatile uint32_t map_handle[NMAPS];
static volatile uint64_t map_addr[NMAPS];
static struct grant_entry_v1 *const gnt = (struct grant_entry_v1 *)(uintptr_t)(GNT_GFN << 12);
static uint16_t self;
static volatile uint16_t peer; /* another Xen-enhanced domain, found by find_peer() */
static unsigned ncpus, killer, killer2;
static uint64_t kill_at, kill_reason;
static bool final_boot;
static uint64_t ops[GUEST_MAX_CPUS]; /* per vCPU, reported at the last boot */
/* Successes of the calls that create something, reported at the last boot:
 * the races are only worth something if the objects do get made. */
enum { OK_PORT, OK_BIND, OK_MAP, OK_PHYSMAP, OK_CPU_ON, OK_PEER_BIND, OK_PEER_MAP, NR_OK };
static volatile unsigned ok_count[NR_OK];

static void count_ok(unsigned what)
{
    __atomic_fetch_add(&ok_count[what], 1, __ATOMIC_RELAXED);
}

static uint64_t next_rand(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static unsigned this_cpu(void)
{
    return read_sysreg(mpidr_el1) & (GUEST_MAX_CPUS - 1);
}

/* A hypercall result Xen could give: 0 or a -errno. */
static void chk(const char *op, long rc)
{
    if (rc > 0 || rc < -200)
        test_fail("%s rc=%ld", op, rc);
}

static long gnttab(unsigned cmd, void *op, unsigned count)
{
    return xen_hypercall(__HYPERVISOR_grant_table_op, cmd, (uintptr_t)op, count, 0, 0);
}

static uint64_t win_gfn(uint64_t r)
{
    return WIN_GFN + r % WIN_PAGES;
}

/* ---- event channels ---- */

static void ev_alloc(uint64_t r)
{
    uint32_t p;
    long rc = evtchn_alloc_unbound(DOMID_SELF, r & 1 && peer ? peer : DOMID_SELF, &p);
    chk("alloc_unbound", rc);
    if (!rc) {
        ports[(r >> 8) % NPORTS] = p;
        count_ok(OK_PORT);
    }
}

/* Any other live Xen-enhanced domain with an id up to ours + 8: status of a
 * port of someone else's is -EPERM, of no domain -ESRCH. Another hammer
 * beside this one restarts too, so its id keeps changing. */
static void find_peer(uint64_t r)
{
    uint16_t found[16];
    unsigned n = 0;
    for (uint16_t id = 1; id <= self + 8 && n < 16; id++) {
        struct evtchn_status st;
        if (id != self && evtchn_status(id, 1, &st) == -XEN_EPERM)
            found[n++] = id;
    }
    /* Mostly the newest: another hammer rather than the boot-time neighbours. */
    if (n)
        peer = found[r % 4 ? n - 1 : r / 4 % n];
}

static void ev_bind(uint64_t r)
{
    uint32_t p;
    uint16_t to = peer;
    /* Loopback to one of its own ports, or a guess at one the peer made for it. */
    bool remote = r & (1 << 24) && to;
    long rc = remote ? evtchn_bind_interdomain(to, 1 + (uint32_t)((r >> 8) % NPORTS), &p)
                     : evtchn_bind_interdomain(self, ports[(r >> 8) % NPORTS], &p);
    chk("bind_interdomain", rc);
    if (!rc) {
        ports[(r >> 16) % NPORTS] = p;
        count_ok(remote ? OK_PEER_BIND : OK_BIND);
    }
}

static void ev_ipi(uint64_t r)
{
    struct evtchn_bind_ipi b = {.vcpu = (uint32_t)((r >> 8) % (ncpus + 1))};
    long rc = evtchn_op(EVTCHNOP_bind_ipi, &b);
    chk("bind_ipi", rc);
    if (!rc)
        ports[(r >> 16) % NPORTS] = b.port;
}

static void ev_misc(uint64_t r)
{
    uint32_t p = ports[(r >> 8) % NPORTS];
    switch ((r >> 4) % 6) {
    case 0:
        chk("close", evtchn_close(p));
        break;
    case 1:
        chk("send", evtchn_send(p));
        break;
    case 2:
        chk("unmask", evtchn_unmask(p));
        break;
    case 3: {
        struct evtchn_bind_vcpu b = {.port = p, .vcpu = (uint32_t)((r >> 16) % ncpus)};
        chk("bind_vcpu", evtchn_op(EVTCHNOP_bind_vcpu, &b));
        break;
    }
    case 4: {
        struct evtchn_status st;
        chk("status", evtchn_status(DOMID_SELF, p, &st));
        break;
    }
    default:
        if ((r >> 16) % 32 == 0) { /* rare: closes everything under the others */
            struct evtchn_reset rs = {.dom = DOMID_SELF};
            chk("reset", evtchn_op(EVTCHNOP_reset, &rs));
        }
    }
}

/* ---- grant table ---- */

static void grant_write(uint64_t r)
{
    unsigned i = (unsigned)((r >> 8) % NREFS);
    static const uint16_t flags[] = {GTF_permit_access, GTF_permit_access,
                                     GTF_permit_access | GTF_readonly, 0};
    struct grant_entry_v1 *e = &gnt[FIRST_REF + i];
    e->frame = (uint32_t)(((uintptr_t)pages[i % NPAGES]) >> 12);
    e->domid = r & (1 << 20) && peer ? peer : self;
    __asm__ volatile("dmb ishst" ::: "memory");
    /* The hypervisor sets and clears GTF_reading/writing concurrently. */
    uint16_t old = __atomic_load_n(&e->flags, __ATOMIC_RELAXED);
    uint16_t want = (uint16_t)((old & (GTF_reading | GTF_writing)) | flags[(r >> 4) % 4]);
    __atomic_compare_exchange_n(&e->flags, &old, want, false, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED);
}

static void grant_map(uint64_t r)
{
    unsigned k = (unsigned)((r >> 8) % NMAPS);
    struct gnttab_map_grant_ref m = {.host_addr = win_gfn(r >> 16) << 12,
                                     .flags = GNTMAP_host_map | (r & 16 ? GNTMAP_readonly : 0),
                                     .ref = FIRST_REF + (uint32_t)((r >> 24) % NREFS),
                                     .dom = r & (1 << 30) && peer ? peer : self};
    chk("map", gnttab(GNTTABOP_map_grant_ref, &m, 1));
    if (m.status == GNTST_okay) {
        map_handle[k] = m.handle;
        map_addr[k] = m.host_addr;
        count_ok(m.dom == self ? OK_MAP : OK_PEER_MAP);
    }
}

static void grant_unmap(uint64_t r)
{
    unsigned k = (unsigned)((r >> 8) % NMAPS);
    struct gnttab_unmap_grant_ref u = {.host_addr = map_addr[k], .handle = map_handle[k]};
    chk("unmap", gnttab(GNTTABOP_unmap_grant_ref, &u, 1));
}

static void grant_copy(uint64_t r)
{
    struct gnttab_copy c = {.len = (uint16_t)(1 + (r >> 40) % 4096), .flags = GNTCOPY_source_gref};
    c.source.u.ref = FIRST_REF + (uint32_t)((r >> 8) % NREFS);
    c.source.domid = r & 32 && peer ? peer : self;
    c.dest.domid = DOMID_SELF;
    if (r & 64) {
        c.flags |= GNTCOPY_dest_gref;
        c.dest.u.ref = FIRST_REF + (uint32_t)((r >> 16) % NREFS);
        c.dest.domid = self;
    } else {
        c.dest.u.gmfn = r & 128 ? win_gfn(r >> 16) : ((uintptr_t)pages[(r >> 16) % NPAGES]) >> 12;
    }
    c.len = (uint16_t)(c.len > 4096 - c.dest.offset ? 4096 - c.dest.offset : c.len);
    chk("copy", gnttab(GNTTABOP_copy, &c, 1));
}

static void grant_table_ops(uint64_t r)
{
    static xen_pfn_t frames[4];
    switch ((r >> 4) % 3) {
    case 0: {
        struct gnttab_set_version v = {.version = 1};
        chk("set_version", gnttab(GNTTABOP_set_version, &v, 1));
        break;
    }
    case 1: {
        struct gnttab_setup_table s = {
            .dom = DOMID_SELF, .nr_frames = 1 + (uint32_t)((r >> 8) % 4), .frame_list = 0};
        s.frame_list = (uintptr_t)frames;
        chk("setup_table", gnttab(GNTTABOP_setup_table, &s, 1));
        break;
    }
    default: {
        struct gnttab_query_size q = {.dom = DOMID_SELF};
        chk("query_size", gnttab(GNTTABOP_query_size, &q, 1));
    }
    }
}

/* Grant frames 1-3 and shared_info into the window, or anything out of it. */
static void physmap(uint64_t r)
{
    if (r & 16) {
        struct xen_remove_from_physmap x = {.domid = DOMID_SELF, .gpfn = win_gfn(r >> 8)};
        chk("remove_from_physmap", memory_op(XENMEM_remove_from_physmap, &x));
        return;
    }
    bool shared = r & 32;
    struct xen_add_to_physmap a = {.domid = DOMID_SELF,
                                   .space =
                                       shared ? XENMAPSPACE_shared_info : XENMAPSPACE_grant_table,
                                   .idx = shared ? 0 : 1 + (r >> 16) % 3,
                                   .gpfn = win_gfn(r >> 8)};
    long rc = memory_op(XENMEM_add_to_physmap, &a);
    chk("add_to_physmap", rc);
    if (!rc)
        count_ok(OK_PHYSMAP);
}

/* ---- FIFO event channels and memory the hypervisor writes ---- */

static uint64_t gfn_of(const void *p)
{
    return (uintptr_t)p >> 12;
}

static void fifo_ops(uint64_t r)
{
    unsigned t = (unsigned)((r >> 8) % ncpus);
    switch ((r >> 4) % 4) {
    case 0: {
        /* Usually its own page; one time in four another vCPU's. */
        unsigned pg = r & (3 << 12) ? t : (unsigned)((r >> 14) % ncpus);
        struct evtchn_init_control ic = {.control_gfn = gfn_of(ctrl_pages[pg]), .vcpu = t};
        chk("init_control", evtchn_op(EVTCHNOP_init_control, &ic));
        break;
    }
    case 1: {
        struct evtchn_expand_array ea = {.array_gfn = gfn_of(array_pages[(r >> 12) % 4])};
        chk("expand_array", evtchn_op(EVTCHNOP_expand_array, &ea));
        break;
    }
    case 2: {
        struct evtchn_set_priority sp = {.port = ports[(r >> 12) % NPORTS],
                                         .priority = (uint32_t)((r >> 20) % 17)};
        chk("set_priority", evtchn_op(EVTCHNOP_set_priority, &sp));
        break;
    }
    default: {
        /* Scribble on an event word: LINKED with a link anywhere, or to itself.
         * The page may be out of the physmap (a fault, skipped). */
        unsigned w = (unsigned)((r >> 12) % 1024);
        uint32_t port = (uint32_t)((r >> 12) % 4 * 1024 + w);
        uint32_t link = r & (1 << 24) ? port : (uint32_t)(r >> 32) & EVTCHN_FIFO_LINK_MASK;
        uint32_t v = (uint32_t)(r >> 40) & 0xf0000000u;
        struct trap_record rec;
        trap_expect(&rec);
        __atomic_store_n((uint32_t *)(void *)&array_pages[(r >> 12) % 4][w * 4],
                         v | 1u << EVTCHN_FIFO_LINKED | link, __ATOMIC_RELAXED);
        __asm__ volatile("" ::: "memory");
        if (!rec.taken)
            trap_expect_cancel();
    }
    }
}

static void memory_ops(uint64_t r)
{
    static const void *const written[] = {vinfo_page, ctrl_pages[0], ctrl_pages[1], array_pages[0],
                                          array_pages[1]};
    static xen_pfn_t gfn[GUEST_MAX_CPUS];
    unsigned me = this_cpu();
    uint32_t op = r & 16 ? XENMEM_decrease_reservation : XENMEM_populate_physmap;
    gfn[me] = r & 32 ? gfn_of(written[(r >> 8) % 5]) : gfn_of(balloon_pages[(r >> 8) % 8]);
    if (op == XENMEM_decrease_reservation && r & 32 && r & 64) {
        struct xen_remove_from_physmap x = {.domid = DOMID_SELF, .gpfn = gfn[me]};
        chk("remove_from_physmap", memory_op(XENMEM_remove_from_physmap, &x));
        return;
    }
    struct xen_memory_reservation m = {
        .extent_start = (uintptr_t)&gfn[me], .nr_extents = 1, .domid = DOMID_SELF};
    long rc = memory_op(op, &m);
    if (rc < -200 || rc > 1)
        test_fail("memory_op %u rc=%ld", op, rc);
}

/* ---- vCPUs ---- */

static void vcpu_ops(uint64_t r)
{
    unsigned t = (unsigned)((r >> 8) % ncpus);
    switch ((r >> 4) % 3) {
    case 0: {
        struct vcpu_register_vcpu_info vi = {.mfn = (uintptr_t)vinfo_page >> 12, .offset = t * 64};
        chk("register_vcpu_info", vcpu_op(VCPUOP_register_vcpu_info, t, &vi));
        break;
    }
    case 1: {
        struct vcpu_register_runstate_memory_area ra = {.addr = (uintptr_t)&runstate[t]};
        chk("register_runstate", vcpu_op(VCPUOP_register_runstate_memory_area, t, &ra));
        break;
    }
    default: {
        static uint64_t arg[2];
        arg[0] = r >> 20;
        unsigned cmd =
            r & (1 << 12) ? VCPUOP_is_up : VCPUOP_set_periodic_timer + (unsigned)((r >> 13) % 4);
        chk("vcpu_op", vcpu_op(cmd, t, arg));
    }
    }
}

static void psci_ops(unsigned me, uint64_t r)
{
    unsigned t = (unsigned)((r >> 8) % ncpus);
    long rc;
    if (r & 16) {
        rc = psci_call(PSCI_CPU_ON64, plat.cpu_mpidr[t], (uintptr_t)secondary_entry, r >> 16);
        if (rc != 0 && rc != PSCI_ALREADY_ON && rc != -5 /* ON_PENDING */)
            test_fail("CPU_ON(%u) ret=%ld", t, rc);
        if (!rc)
            count_ok(OK_CPU_ON);
    } else if (r & 32 && me != 0 && me != killer && me != killer2) {
        rc = psci_call(PSCI_CPU_OFF, 0, 0, 0);
        test_fail("CPU_OFF returned %ld", rc);
    } else {
        rc = psci_call(PSCI_AFFINITY_INFO64, plat.cpu_mpidr[t], 0, 0);
        if (rc < 0 || rc > 2)
            test_fail("AFFINITY_INFO(%u) ret=%ld", t, rc);
    }
}

static void trap_ops(uint64_t r)
{
    switch ((r >> 4) % 3) {
    case 0:
        write_sysreg(cntp_tval_el0, 1 + (r >> 8) % 20000);
        write_sysreg(cntp_ctl_el0, r & (1 << 20) ? 1 : 3); /* enabled, maybe masked */
        isb();
        break;
    case 1:
        /* IRQs stay masked: the WFI ends when the timer line rises. */
        vtimer_arm_at(cntvct() + 1 + (r >> 8) % 2000);
        wfi();
        vtimer_stop();
        break;
    default:
        gic_send_sgi((unsigned)((r >> 8) % ncpus), (unsigned)((r >> 16) % 16));
    }
}

static void shutdown_now(unsigned me, uint64_t how)
{
    if (final_boot && me == killer) {
        uint64_t n = 0;
        for (unsigned i = 0; i < ncpus; i++)
            n += __atomic_load_n(&ops[i], __ATOMIC_RELAXED);
        test_pass("domid=%u ops=%llu ports=%u binds=%u maps=%u physmaps=%u cpu_ons=%u "
                  "peer=%u peer_binds=%u peer_maps=%u",
                  self, (unsigned long long)n, ok_count[OK_PORT], ok_count[OK_BIND],
                  ok_count[OK_MAP], ok_count[OK_PHYSMAP], ok_count[OK_CPU_ON], peer,
                  ok_count[OK_PEER_BIND], ok_count[OK_PEER_MAP]);
    }
    if (final_boot)
        for (;;)
            ; /* the killer's power-off ends it */
    switch (how % 3) {
    case 0:
        sched_shutdown(SHUTDOWN_reboot);
        break;
    case 1:
        psci_call(PSCI_SYSTEM_RESET, 0, 0, 0);
        break;
    default:
        sched_shutdown(3 /* SHUTDOWN_crash */);
    }
    /* Returns when another vCPU shut the domain down first (Xen's does too:
     * its vCPUs are paused only once they leave the hypervisor). */
    for (;;)
        ;
}

/* ---- scheduling and batches (continuations) ---- */

static void sched_ops(unsigned me, uint64_t r)
{
    static uint32_t poll_ports[GUEST_MAX_CPUS][4];
    switch ((r >> 4) % 4) {
    case 0:
        chk("yield", xen_hypercall(__HYPERVISOR_sched_op, SCHEDOP_yield, 0, 0, 0, 0));
        break;
    case 1: {
        unsigned n = 1 + (unsigned)((r >> 8) % 4);
        for (unsigned i = 0; i < n; i++)
            poll_ports[me][i] = ports[(r >> (12 + 6 * i)) % NPORTS];
        /* No timeout: blocks until one is pending, so never for the vCPUs
         * that must shut the domain down. */
        bool forever = r & (1ull << 40) && me != killer && me != killer2;
        struct sched_poll p = {
            .ports = (uintptr_t)poll_ports[me], .nr_ports = n, .timeout = forever ? 0 : 1};
        chk("poll", xen_hypercall(__HYPERVISOR_sched_op, SCHEDOP_poll, (uintptr_t)&p, 0, 0, 0));
        break;
    }
    case 2: {
        /* A reason recorded under a shutdown another vCPU may be making;
         * the first one given is the one acted on (Xen's rule), so only
         * reasons that restart it: reboot, crash, watchdog (and none on the
         * last boot, which must end in a power-off). */
        if (final_boot)
            break;
        static const uint32_t restarting[] = {SHUTDOWN_reboot, 3, 4};
        struct sched_shutdown sd = {.reason = restarting[(r >> 8) % 3]};
        chk("shutdown_code",
            xen_hypercall(__HYPERVISOR_sched_op, SCHEDOP_shutdown_code, (uintptr_t)&sd, 0, 0, 0));
        break;
    }
    default:
        /* Blocks until an event; never the vCPUs that must shut down. */
        if (me != killer && me != killer2 && r & (1 << 20))
            chk("block", xen_hypercall(__HYPERVISOR_sched_op, SCHEDOP_block, 0, 0, 0, 0));
    }
}

/* Many grant ops in one call, which a hypervisor may cut into continuations:
 * the shutdown may land between two of them. */
static void grant_batch(unsigned me, uint64_t r)
{
    static struct gnttab_map_grant_ref maps[GUEST_MAX_CPUS][BATCH];
    static struct gnttab_unmap_grant_ref unmaps[GUEST_MAX_CPUS][NMAPS];
    if (r & 16) {
        for (unsigned i = 0; i < BATCH; i++)
            maps[me][i] = (struct gnttab_map_grant_ref){
                .host_addr = win_gfn((r >> 8) + i) << 12,
                .flags = GNTMAP_host_map | (i & 1 ? GNTMAP_readonly : 0),
                .ref = FIRST_REF + (uint32_t)(((r >> 16) + i) % NREFS),
                .dom = r & 32 && peer ? peer : self};
        chk("map batch", gnttab(GNTTABOP_map_grant_ref, maps[me], BATCH));
        for (unsigned i = 0; i < BATCH; i++)
            if (maps[me][i].status == GNTST_okay) {
                unsigned k = (unsigned)((r >> 24) + i) % NMAPS;
                map_handle[k] = maps[me][i].handle;
                map_addr[k] = maps[me][i].host_addr;
            }
        return;
    }
    for (unsigned k = 0; k < NMAPS; k++)
        unmaps[me][k] =
            (struct gnttab_unmap_grant_ref){.host_addr = map_addr[k], .handle = map_handle[k]};
    chk("unmap batch", gnttab(GNTTABOP_unmap_grant_ref, unmaps[me], NMAPS));
}

static void op_ev_alloc(unsigned me, uint64_t r)
{
    (void)me;
    ev_alloc(r);
}

static void op_events(unsigned me, uint64_t r)
{
    (void)me;
    if (r & 1)
        ev_misc(r >> 1);
    else if (r & 2)
        ev_bind(r >> 2);
    else
        ev_ipi(r >> 2);
}

static void op_grants(unsigned me, uint64_t r)
{
    (void)me;
    switch (r % 5) {
    case 0:
        grant_write(r >> 3);
        break;
    case 1:
    case 2:
        grant_map(r >> 3);
        break;
    case 3:
        grant_unmap(r >> 3);
        break;
    default:
        grant_copy(r >> 3);
    }
}

static void op_tables(unsigned me, uint64_t r)
{
    (void)me;
    if (r & 1)
        grant_table_ops(r >> 1);
    else
        physmap(r >> 1);
}

static void op_vcpus(unsigned me, uint64_t r)
{
    if (r & 1)
        vcpu_ops(r >> 1);
    else
        psci_ops(me, r >> 1);
}

static void op_traps(unsigned me, uint64_t r)
{
    (void)me;
    trap_ops(r);
}

static void op_fifo(unsigned me, uint64_t r)
{
    (void)me;
    fifo_ops(r);
}

static void op_memory(unsigned me, uint64_t r)
{
    (void)me;
    memory_ops(r);
}

/* Weighted: each entry is one slot of 16. */
static void (*const op_table[16])(unsigned me, uint64_t r) = {
    op_ev_alloc, op_ev_alloc, op_events, op_events, op_events, op_grants, op_grants,   op_grants,
    op_tables,   op_vcpus,    op_vcpus,  op_traps,  op_fifo,   sched_ops, grant_batch, op_memory,
};

static void hammer(unsigned me, uint64_t s)
{
    irq_disable();
    gic_enable_ppi(VTIMER_PPI); /* wakes the WFI below (IRQs stay masked) */
    for (;;) {
        if ((me == killer || me == killer2) && cntvct() >= kill_at)
            shutdown_now(me, kill_reason + me);
        uint64_t r = next_rand(&s);
        __atomic_store_n(&ops[me], ops[me] + 1, __ATOMIC_RELAXED);
        if (ops[me] % 64 == 0) /* the peer may have restarted with a new id */
            find_peer(r);
        op_table[r % 16](me, r >> 4);
    }
}

void test_secondary(uint64_t context_id)
{
    hammer(this_cpu(), context_id | 1);
}

static void setup_grants(void)
{
    struct xen_add_to_physmap a = {
        .domid = DOMID_SELF, .space = XENMAPSPACE_grant_table, .idx = 0, .gpfn = GNT_GFN};
    long rc = memory_op(XENMEM_add_to_physmap, &a);
    if (rc)
        test_fail("grant frame 0 at 0x%llx rc=%ld", GNT_GFN, rc);
    mmu_map_normal_2m(GNT_GFN << 12);
    struct gnttab_query_size q = {.dom = DOMID_SELF};
    self = xen_own_domid();
    q.dom = self;
    if (gnttab(GNTTABOP_query_size, &q, 1) || q.status != GNTST_okay)
        test_fail("query_size(%u) status=%d", self, q.status);
    for (unsigned i = 0; i < NREFS; i++)
        grant_write((uint64_t)i << 8);
}

void test_main(void)
{
    ncpus = plat.cpu_count;
    if (ncpus < 2 || ncpus > GUEST_MAX_CPUS)
        test_fail("needs 2-%u vCPUs, DT has %u", GUEST_MAX_CPUS, ncpus);
    uint64_t s = read_sysreg(cntpct_el0) * 0x9E3779B97F4A7C15ULL ^ bootarg_uint("seed", 0);
    s = s ? s : 1;
    setup_grants();
    find_peer(next_rand(&s));
    final_boot = self >= bootarg_uint("last", 0);
    uint64_t max_us = bootarg_uint("max_delay_us", MAX_DELAY_US);
    uint64_t delay_us = next_rand(&s) % (max_us ? max_us : 1);
    killer = (unsigned)(next_rand(&s) % ncpus);
    killer2 = next_rand(&s) % 4 == 0 ? (unsigned)(next_rand(&s) % ncpus) : killer;
    kill_reason = next_rand(&s);
    test_run("boot d=%u delay_us=%llu killer=%u,%u seed=0x%llx", self, (unsigned long long)delay_us,
             killer, killer2, (unsigned long long)s);
    kill_at = cntvct() + cntfrq() / 1000000 * delay_us;
    __asm__ volatile("dmb ish" ::: "memory");
    for (unsigned i = 1; i < ncpus; i++) {
        long rc =
            psci_call(PSCI_CPU_ON64, plat.cpu_mpidr[i], (uintptr_t)secondary_entry, next_rand(&s));
        /* A started one may have been quicker (on, or on its way). */
        if (rc != 0 && rc != PSCI_ALREADY_ON && rc != -5 /* ON_PENDING */)
            test_fail("CPU_ON(%u) ret=%ld", i, rc);
    }
    hammer(0, next_rand(&s));
}
