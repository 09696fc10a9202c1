/* Typed wrappers over the raw hypercall and SMCCC stubs. */
#include "guest.h"

long psci_call(uint32_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
    unsigned long r = plat.psci_smc ? smccc_smc(fid, a1, a2, a3) : smccc_hvc(fid, a1, a2, a3);

    /* PSCI returns int32 results in w0. */
    return (long)(int32_t)r;
}

long console_io_write(const void *buf, size_t len)
{
    return xen_hypercall(HYPERVISOR_console_io, CONSOLEIO_write, len, (uintptr_t)buf, 0, 0);
}

long sched_shutdown(uint32_t reason)
{
    /* struct sched_shutdown { uint32_t reason; } */
    static volatile uint32_t arg;

    arg = reason;
    return xen_hypercall(HYPERVISOR_sched_op, SCHEDOP_shutdown, (uintptr_t)&arg, 0, 0, 0);
}

/* ---- Xen ABI helpers for the xen_* cases (lib/include/xen_guest.h) ---- */
#include "xen_guest.h"

long evtchn_op(unsigned cmd, void *arg)
{
    return xen_hypercall(__HYPERVISOR_event_channel_op, cmd, (uintptr_t)arg, 0, 0, 0);
}

long memory_op(unsigned long cmd, void *arg)
{
    return xen_hypercall(__HYPERVISOR_memory_op, cmd, (uintptr_t)arg, 0, 0, 0);
}

long vcpu_op(unsigned cmd, unsigned vcpu, void *arg)
{
    return xen_hypercall(__HYPERVISOR_vcpu_op, cmd, vcpu, (uintptr_t)arg, 0, 0);
}

long hvm_get_param(uint16_t domid, uint32_t index, uint64_t *value)
{
    struct xen_hvm_param p = {.domid = domid, .index = index};
    long rc = xen_hypercall(__HYPERVISOR_hvm_op, HVMOP_get_param, (uintptr_t)&p, 0, 0, 0);
    *value = p.value;
    return rc;
}

long hvm_set_param(uint16_t domid, uint32_t index, uint64_t value)
{
    struct xen_hvm_param p = {.domid = domid, .index = index, .value = value};
    return xen_hypercall(__HYPERVISOR_hvm_op, HVMOP_set_param, (uintptr_t)&p, 0, 0, 0);
}

long evtchn_alloc_unbound(uint16_t dom, uint16_t remote, uint32_t *port)
{
    struct evtchn_alloc_unbound a = {.dom = dom, .remote_dom = remote};
    long rc = evtchn_op(EVTCHNOP_alloc_unbound, &a);
    *port = a.port;
    return rc;
}

long evtchn_bind_interdomain(uint16_t remote_dom, uint32_t remote_port, uint32_t *port)
{
    struct evtchn_bind_interdomain b = {.remote_dom = remote_dom, .remote_port = remote_port};
    long rc = evtchn_op(EVTCHNOP_bind_interdomain, &b);
    *port = b.local_port;
    return rc;
}

long evtchn_send(uint32_t port)
{
    struct evtchn_port_arg a = {port};
    return evtchn_op(EVTCHNOP_send, &a);
}

long evtchn_close(uint32_t port)
{
    struct evtchn_port_arg a = {port};
    return evtchn_op(EVTCHNOP_close, &a);
}

long evtchn_unmask(uint32_t port)
{
    struct evtchn_port_arg a = {port};
    return evtchn_op(EVTCHNOP_unmask, &a);
}

long evtchn_status(uint16_t dom, uint32_t port, struct evtchn_status *st)
{
    *st = (struct evtchn_status){.dom = dom, .port = port};
    return evtchn_op(EVTCHNOP_status, st);
}

uint16_t xen_own_domid(void)
{
    uint32_t p;
    struct evtchn_status st;
    if (evtchn_alloc_unbound(DOMID_SELF, DOMID_SELF, &p) || evtchn_status(DOMID_SELF, p, &st))
        test_fail("own domid: alloc_unbound/status failed");
    evtchn_close(p);
    return st.u.unbound.dom;
}

struct shared_info *volatile shinfo;

long xen_map_shared_info(void *page)
{
    struct xen_add_to_physmap a = {.domid = DOMID_SELF,
                                   .space = XENMAPSPACE_shared_info,
                                   .idx = 0,
                                   .gpfn = (uintptr_t)page >> 12};
    long rc = memory_op(XENMEM_add_to_physmap, &a);
    if (rc == 0)
        shinfo = page;
    return rc;
}

volatile unsigned xen_upcalls;
volatile uint64_t xen_seen[XEN_2L_NR_WORDS];

static void on_upcall(unsigned intid)
{
    (void)intid;
    struct vcpu_info *vi = &shinfo->vcpu_info[0];
    xen_upcalls++;
    /* Linux's loop: clear the flag, take the selector, scan, repeat. */
    do {
        __atomic_store_n(&vi->evtchn_upcall_pending, 0, __ATOMIC_SEQ_CST);
        uint64_t sel = __atomic_exchange_n(&vi->evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
        while (sel) {
            unsigned w = __builtin_ctzll(sel);
            sel &= sel - 1;
            uint64_t bits = shinfo->evtchn_pending[w] & ~shinfo->evtchn_mask[w];
            __atomic_fetch_and(&shinfo->evtchn_pending[w], ~bits, __ATOMIC_SEQ_CST);
            xen_seen[w] |= bits;
        }
    } while (__atomic_load_n(&vi->evtchn_upcall_pending, __ATOMIC_SEQ_CST));
}

void xen_upcall_init(void)
{
    irq_register(GUEST_EVTCHN_PPI, on_upcall);
    gic_enable_ppi(GUEST_EVTCHN_PPI);
}

bool xen_seen_port(uint32_t port)
{
    bool seen = port_bit(xen_seen, port);
    xen_seen[port / 64] &= ~(1ULL << (port % 64));
    return seen;
}

bool xen_wait_upcall(unsigned before)
{
    uint64_t end = cntvct() + cntfrq() / 20;
    irq_enable();
    while (xen_upcalls == before && cntvct() < end)
        __asm__ volatile("isb" ::: "memory");
    irq_disable();
    return xen_upcalls != before;
}
