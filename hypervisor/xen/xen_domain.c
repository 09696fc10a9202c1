/*
 * Per-domain Xen ABI state (xen/xen_domain.h): created with a domain that
 * has the Xen interface, freed with it; the upcall interrupt and the runstate
 * area, kept up to date on every entry to the guest; HVM params; the
 * hypervisor-side event channel entry points for backends.
 */
#include <cloison/arch.h>
#include <cloison/printk.h>
#include <core/domain.h>
#include <cloison/errno.h>
#include <xen/evtchn.h>
#include <xen/guest_copy.h>
#include <cloison/mm.h>
#include <cloison/percpu.h>
#include <core/vcpu.h>
#include <vdev/vgic.h>
#include <xen/wallclock.h>
#include <xen/xen_domain.h>
#include <public/vcpu.h>
#include <string.h>

_Static_assert(XEN_DOM_MAX_VCPUS == DOMAIN_MAX_VCPUS, "one xen_vcpu per vCPU");

/* The vCPU each pCPU entered last: a different one means it was switched in
 * and its runstate area is due. Only compared, never dereferenced. */
static struct vcpu *last_entered[MAX_PCPUS];

static uint64_t ticks_to_ns(uint64_t t)
{
    uint64_t f = arch_counter_freq();
    return (t / f) * 1000000000ULL + (t % f) * 1000000000ULL / f;
}

int xen_domain_init(struct domain *d)
{
    struct xen_dom *x = xzalloc(sizeof(*x));
    if (!x)
        return -ENOMEM;
    paddr_t pa = page_alloc(0);
    if (!pa) {
        xfree(x);
        return -ENOMEM;
    }
    x->d = d;
    x->domid = d->id;
    x->privileged = d->is_privileged;
    x->nr_vcpus = d->nr_vcpus;
    x->shinfo = phys_to_virt(pa);
    x->shinfo_gfn = GFN_INVALID;
    x->mem_lock = (spinlock_t)SPINLOCK_INIT;
    /* HVM_PARAM_CALLBACK_IRQ stays 0: Xen 4.17 leaves it unset for dom0less
     * domUs (only libxl fills it); the DT names the upcall PPI. */
    int rc = evtchn_init(x);
    if (rc) {
        page_free(pa, 0);
        xfree(x);
        return rc;
    }
    d->xen = x;
    wallclock_update_domain(d); /* xen/wallclock.c: base (settime64) + its offset */
    return 0;
}

void xen_domain_destroy(struct domain *d)
{
    struct xen_dom *x = d->xen;
    if (!x)
        return;
    /* Unbinds every peer first, so nobody delivers into freed memory. */
    evtchn_destroy(x);
    d->xen = NULL;
    page_free(virt_to_phys(x->shinfo), 0);
    xfree(x);
}

void xen_upcall_raise(struct xen_dom *x, unsigned int vcpu)
{
    if (vcpu >= x->nr_vcpus)
        return;
    vgic_set_level(x->d->vcpus[vcpu], GUEST_EVTCHN_PPI, true);
    __atomic_store_n(&x->vcpu[vcpu].upcall_line, true, __ATOMIC_SEQ_CST);
}

/*
 * The upcall is level-triggered: the line is high while evtchn_upcall_pending
 * is set. Linux clears the flag in its handler and loops until it stays clear,
 * and may set it itself to re-trigger; either way the line follows the flag at
 * every entry. A raise on another pCPU sets the flag before the line, so if we
 * lower the line and then find the flag set again, we raise it back.
 */
static void sync_upcall_line(struct vcpu *v, struct xen_dom *x)
{
    struct xen_vcpu *xv = &x->vcpu[v->id];
    struct vcpu_info *vi = xen_vcpu_info(x, v->id);
    bool level = __atomic_load_n(&vi->evtchn_upcall_pending, __ATOMIC_SEQ_CST) != 0;
    if (level == __atomic_load_n(&xv->upcall_line, __ATOMIC_SEQ_CST))
        return;
    vgic_set_level(v, GUEST_EVTCHN_PPI, level);
    __atomic_store_n(&xv->upcall_line, level, __ATOMIC_SEQ_CST);
    if (!level && __atomic_load_n(&vi->evtchn_upcall_pending, __ATOMIC_SEQ_CST)) {
        vgic_set_level(v, GUEST_EVTCHN_PPI, true);
        __atomic_store_n(&xv->upcall_line, true, __ATOMIC_SEQ_CST);
    }
}

void xen_vcpu_dump(struct vcpu *v)
{
    struct xen_dom *x = v->domain->xen;
    if (!x || v->id >= x->nr_vcpus)
        return;
    const struct vcpu_info *vi = xen_vcpu_info(x, v->id);
    printk("    Xen: upcall pending %u, line %s, pending_sel 0x%lx, %s events",
           __atomic_load_n(&vi->evtchn_upcall_pending, __ATOMIC_RELAXED),
           __atomic_load_n(&x->vcpu[v->id].upcall_line, __ATOMIC_RELAXED) ? "high" : "low",
           __atomic_load_n(&vi->evtchn_pending_sel, __ATOMIC_RELAXED),
           x->fifo ? "FIFO" : "2-level");
}

void xen_vcpu_before_entry(struct vcpu *v)
{
    struct xen_dom *x = v->domain->xen;
    if (!x)
        return;
    sync_upcall_line(v, x);
    unsigned int cpu = this_cpu_id();
    if (last_entered[cpu] != v) {
        last_entered[cpu] = v;
        xen_runstate_update(v);
    }
}

/* Write [off, off + len) of the runstate area; failures are ignored, as on
 * Xen (the area may be unmapped while the guest is at EL0, e.g. with KPTI). */
static void runstate_write(struct vcpu *v, uint64_t va, size_t off, const void *src, size_t len)
{
    (void)copy_to_guest(v, va + off, src, len);
}

void xen_runstate_update(struct vcpu *v)
{
    struct xen_dom *x = v->domain->xen;
    uint64_t va = x ? x->vcpu[v->id].runstate_va : 0;
    if (!va)
        return;
    struct vcpu_runstate_info rs = {.state = RUNSTATE_running};
    rs.state_entry_time = ticks_to_ns(arch_counter() - v->domain->cntvoff);
    rs.time[RUNSTATE_running] = ticks_to_ns(v->runtime);
    const size_t t_off = offsetof(struct vcpu_runstate_info, state_entry_time);
    if (x->vmasst_runstate_flag) {
        /* Readers retry while bit 63 is set: mark, rewrite, unmark. */
        uint64_t busy = rs.state_entry_time | XEN_RUNSTATE_UPDATE;
        runstate_write(v, va, t_off, &busy, sizeof(busy));
        arch_smp_wmb();
        rs.state_entry_time = busy;
        runstate_write(v, va, 0, &rs, sizeof(rs));
        arch_smp_wmb();
        rs.state_entry_time &= ~XEN_RUNSTATE_UPDATE;
        runstate_write(v, va, t_off, &rs.state_entry_time, sizeof(uint64_t));
    } else {
        runstate_write(v, va, 0, &rs, sizeof(rs));
    }
}

int xen_set_hvm_param(struct domain *d, unsigned int index, uint64_t value)
{
    if (!d->xen)
        return -ENOSYS;
    if (index >= HVM_NR_PARAMS)
        return -EINVAL;
    d->xen->hvm_params[index] = value;
    return 0;
}

int evtchn_alloc_xen_port(struct domain *d, evtchn_xen_notify_fn notify, uint32_t *port)
{
    return d->xen ? evtchn_xen_port(d->xen, notify, port) : -ENOSYS;
}

void evtchn_send_to_guest(struct domain *d, uint32_t port)
{
    if (d->xen)
        evtchn_raise(d->xen, port);
}
