/*
 * event_channel_op: decode, copy the argument in, call xen/evtchn.c, copy
 * results out. One table row per command: argument size, handler, and whether
 * the (updated) argument goes back to the guest on success.
 */
#include <core/domain.h>
#include <cloison/errno.h>
#include <xen/evtchn.h>
#include <core/domain_ram.h>
#include <xen/guest_copy.h>
#include <cloison/mm.h>
#include <cloison/p2m.h>
#include <xen/shared_info.h>
#include <core/vcpu.h>
#include <xen/xen_domain.h>
#include <public/event_channel.h>
#include "hypercall.h"

union evtchn_arg {
    struct evtchn_alloc_unbound alloc_unbound;
    struct evtchn_bind_interdomain bind_interdomain;
    struct evtchn_bind_virq bind_virq;
    struct evtchn_bind_ipi bind_ipi;
    struct evtchn_bind_vcpu bind_vcpu;
    struct evtchn_port_arg port;
    struct evtchn_status status;
    struct evtchn_reset reset;
    struct evtchn_init_control init_control;
    struct evtchn_expand_array expand_array;
    struct evtchn_set_priority set_priority;
};

typedef int (*evtchn_op_fn)(struct xen_dom *x, union evtchn_arg *a);

static int op_alloc_unbound(struct xen_dom *x, union evtchn_arg *a)
{
    return evtchn_alloc_unbound(x, a->alloc_unbound.dom, a->alloc_unbound.remote_dom,
                                &a->alloc_unbound.port);
}

static int op_bind_interdomain(struct xen_dom *x, union evtchn_arg *a)
{
    return evtchn_bind_interdomain(x, a->bind_interdomain.remote_dom,
                                   a->bind_interdomain.remote_port,
                                   &a->bind_interdomain.local_port);
}

static int op_bind_virq(struct xen_dom *x, union evtchn_arg *a)
{
    return evtchn_bind_virq(x, a->bind_virq.virq, a->bind_virq.vcpu, &a->bind_virq.port);
}

static int op_bind_ipi(struct xen_dom *x, union evtchn_arg *a)
{
    return evtchn_bind_ipi(x, a->bind_ipi.vcpu, &a->bind_ipi.port);
}

static int op_bind_vcpu(struct xen_dom *x, union evtchn_arg *a)
{
    return evtchn_bind_vcpu(x, a->bind_vcpu.port, a->bind_vcpu.vcpu);
}

static int op_close(struct xen_dom *x, union evtchn_arg *a)
{
    return evtchn_close(x, a->port.port);
}

static int op_send(struct xen_dom *x, union evtchn_arg *a)
{
    return evtchn_send(x, a->port.port);
}

static int op_status(struct xen_dom *x, union evtchn_arg *a)
{
    return evtchn_status(x, &a->status);
}

static int op_unmask(struct xen_dom *x, union evtchn_arg *a)
{
    return evtchn_unmask(x, a->port.port);
}

static int op_reset(struct xen_dom *x, union evtchn_arg *a)
{
    return evtchn_reset(x, a->reset.dom);
}

/* A control block or event array page must be the domain's own RAM: never
 * MMIO, never a grant-mapped page of another domain (which could be freed
 * while the hypervisor still writes event words into it). */
static void *map_own_ram(struct xen_dom *x, uint64_t gfn)
{
    paddr_t pa;
    if (!domain_gfn_valid(x->d, gfn) || !domain_own_ram_page(x->d, gfn, &pa, NULL))
        return NULL;
    return phys_to_virt(pa);
}

static int op_init_control(struct xen_dom *x, union evtchn_arg *a)
{
    struct evtchn_init_control *ic = &a->init_control;
    int rc = evtchn_fifo_init_control(x, ic->control_gfn, ic->offset, ic->vcpu, map_own_ram);
    if (!rc)
        ic->link_bits = EVTCHN_FIFO_LINK_BITS;
    return rc;
}

static int op_expand_array(struct xen_dom *x, union evtchn_arg *a)
{
    return evtchn_fifo_expand_array(x, a->expand_array.array_gfn, map_own_ram);
}

static int op_set_priority(struct xen_dom *x, union evtchn_arg *a)
{
    return evtchn_set_priority(x, a->set_priority.port, a->set_priority.priority);
}

static const struct {
    evtchn_op_fn fn;
    uint16_t size;
    bool copy_out;
} ops[] = {
    [EVTCHNOP_bind_interdomain] = {op_bind_interdomain, sizeof(struct evtchn_bind_interdomain),
                                   true},
    [EVTCHNOP_bind_virq] = {op_bind_virq, sizeof(struct evtchn_bind_virq), true},
    [EVTCHNOP_close] = {op_close, sizeof(struct evtchn_port_arg), false},
    [EVTCHNOP_send] = {op_send, sizeof(struct evtchn_port_arg), false},
    [EVTCHNOP_status] = {op_status, sizeof(struct evtchn_status), true},
    [EVTCHNOP_alloc_unbound] = {op_alloc_unbound, sizeof(struct evtchn_alloc_unbound), true},
    [EVTCHNOP_bind_ipi] = {op_bind_ipi, sizeof(struct evtchn_bind_ipi), true},
    [EVTCHNOP_bind_vcpu] = {op_bind_vcpu, sizeof(struct evtchn_bind_vcpu), false},
    [EVTCHNOP_unmask] = {op_unmask, sizeof(struct evtchn_port_arg), false},
    [EVTCHNOP_reset] = {op_reset, sizeof(struct evtchn_reset), false},
    [EVTCHNOP_init_control] = {op_init_control, sizeof(struct evtchn_init_control), true},
    [EVTCHNOP_expand_array] = {op_expand_array, sizeof(struct evtchn_expand_array), false},
    [EVTCHNOP_set_priority] = {op_set_priority, sizeof(struct evtchn_set_priority), false},
};

int64_t do_event_channel_op(struct vcpu *v, uint64_t cmd, uint64_t arg, uint64_t a2, uint64_t a3,
                            uint64_t a4)
{
    (void)a2, (void)a3, (void)a4;
    cmd = (uint32_t)cmd; /* an int in Xen's prototype: upper bits ignored */
    struct xen_dom *x = v->domain->xen;
    if (!x || cmd >= ARRAY_SIZE(ops) || !ops[cmd].fn)
        return -ENOSYS;
    union evtchn_arg a;
    if (ops[cmd].size && copy_from_guest(v, &a, arg, ops[cmd].size))
        return -EFAULT;
    int rc = ops[cmd].fn(x, &a);
    if (rc == EVTCHN_CONTINUE) /* a reset that goes on where it stopped */
        return hypercall_continue(v, cmd, arg, 0, 0, 0);
    if (!rc && ops[cmd].copy_out && copy_to_guest(v, arg, &a, ops[cmd].size))
        return -EFAULT;
    return rc;
}
