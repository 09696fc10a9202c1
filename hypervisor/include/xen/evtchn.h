/*
 * Xen event channels (xen/evtchn.c: port table and bindings; delivery by
 * xen/evtchn_2l.c, pending/mask bits in shared_info, or, once the guest has
 * set up a FIFO control block, xen/evtchn_fifo.c, event words and queues).
 *
 * Locks (order: cloison/spinlock.h). Each domain has two: evtchn_lock over
 * its bindings (which port is what, bound to whom) and pending_lock over
 * delivery into it (pending bits, FIFO queues). Whatever changes a domain's
 * table holds both of that domain; a sender holds its own evtchn_lock, which
 * keeps its binding and so the peer in place (the peer's teardown unbinds
 * under it), and the receiver's pending_lock, never two pending_locks; the
 * hypervisor's senders (VIRQs, backends) and unmask take only pending_lock.
 * Binding or closing across two domains holds both evtchn_locks, the lower
 * domain id first. So no lock is shared by two domains unless one signals,
 * binds to or closes a channel with the other. Domains are found by id in
 * evtchn.c's registry, under its own lock, and pinned (x->evtchn_pins) until
 * their lock is held: evtchn_destroy() waits for the pins before freeing.
 * Return values are Xen's negated errno values. `caller` is the calling
 * domain; `dom` may be DOMID_SELF.
 */
#ifndef CLOISON_EVTCHN_H
#define CLOISON_EVTCHN_H

#include <cloison/types.h>
#include <public/event_channel.h>

struct xen_dom;
struct domain;

/* Hypervisor-side consumers (PV console backend): a port of d that the guest
 * may send on (notify is called, from the sending vCPU's hypercall), and a way
 * to raise it in the guest. */
typedef void (*evtchn_xen_notify_fn)(struct domain *d, uint32_t port);
int evtchn_alloc_xen_port(struct domain *d, evtchn_xen_notify_fn notify, uint32_t *port);
void evtchn_send_to_guest(struct domain *d, uint32_t port);

/* How many ports x's domain was configured with (its boot description's
 * "cloison,event-channels"), 0 = not set. Defined by evtchn_cfg.c, which
 * knows struct domain; host tests supply their own. */
uint32_t evtchn_configured_ports(const struct xen_dom *x);

/* Operations on the caller's (or a target's) xen_dom. A domain may use ports
 * below its limit (dom0: 2^17; a domU: its configured count, else 4096), and
 * below 4096 while it uses the 2-level ABI. */
int evtchn_init(struct xen_dom *x);     /* empty table, registered for lookups */
void evtchn_destroy(struct xen_dom *x); /* unregister, close everything, free */
int evtchn_alloc_unbound(struct xen_dom *caller, uint16_t dom, uint16_t remote_dom, uint32_t *port);
int evtchn_bind_interdomain(struct xen_dom *caller, uint16_t remote_dom, uint32_t rport,
                            uint32_t *lport);
int evtchn_bind_virq(struct xen_dom *x, uint32_t virq, uint32_t vcpu, uint32_t *port);
int evtchn_bind_ipi(struct xen_dom *x, uint32_t vcpu, uint32_t *port);
int evtchn_bind_vcpu(struct xen_dom *x, uint32_t port, uint32_t vcpu);
int evtchn_close(struct xen_dom *x, uint32_t port);
int evtchn_send(struct xen_dom *x, uint32_t port);
int evtchn_status(struct xen_dom *caller, struct evtchn_status *st); /* dom, port in st */
int evtchn_unmask(struct xen_dom *x, uint32_t port);
/* 0 once done, or EVTCHN_CONTINUE after EVTCHN_RESET_PORTS ports: call it
 * again (the hypercall is re-issued) and it goes on where it stopped. */
#define EVTCHN_CONTINUE 1
#define EVTCHN_RESET_PORTS 1024
int evtchn_reset(struct xen_dom *caller, uint16_t dom);
int evtchn_xen_port(struct xen_dom *x, evtchn_xen_notify_fn notify, uint32_t *port);
void evtchn_raise(struct xen_dom *x, uint32_t port); /* hypervisor-originated */
/* A hypervisor backend's end of a channel to another domain (Xen's
 * alloc_unbound_xen_event_channel: the vPL011's ring of vuart_op): a port
 * of x, unbound, that domain `remote` may bind with bind_interdomain like
 * one from alloc_unbound. Once bound, the peer's sends call notify(x's
 * domain, port) from the sender's hypercall, no lock held, instead of
 * raising the port in x; evtchn_notify_peer() raises the peer's end (nothing
 * while unbound). x itself may neither send on it, close it nor move it to
 * another vCPU (-EINVAL, as Xen), EVTCHNOP_status of it is -EACCES for
 * anyone (Xen's), a reset keeps it, and x's teardown closes it; the peer may close its
 * end and bind again. At most 15 distinct `notify` functions exist (then
 * -ENOSPC). 0, -ENOSPC, -ENOMEM, -ESRCH (x dying). */
int evtchn_alloc_backend_port(struct xen_dom *x, uint16_t remote, evtchn_xen_notify_fn notify,
                              uint32_t *port);
void evtchn_notify_peer(struct xen_dom *x, uint32_t port);
/* Close a backend's port again (its user failed to set up). */
void evtchn_free_backend_port(struct xen_dom *x, uint32_t port);
/* Raise a VIRQ bound on vCPU `vcpu` of x (no-op if unbound). */
void evtchn_send_virq(struct xen_dom *x, uint32_t virq, uint32_t vcpu);
/* Raise a global VIRQ (VIRQ_DOM_EXC, ...) in the hardware domain, dom0, if
 * it exists and bound it (Xen's send_global_virq with the default handler). */
void evtchn_send_global_virq(uint32_t virq);

/* SCHEDOP_poll: whether `port` is pending / masked, in whichever ABI x uses. */
#define EVTCHN_PORT_PENDING 1u
#define EVTCHN_PORT_MASKED 2u
unsigned int evtchn_port_flags(struct xen_dom *x, uint32_t port);

/* FIFO ABI (evtchn_fifo.c). `map` gives the hypervisor VA of the guest frame
 * gfn if it is ordinary RAM of x, else NULL; the page stays the domain's for
 * its lifetime (ballooning only unmaps it), so it may be kept. */
typedef void *(*evtchn_map_fn)(struct xen_dom *x, uint64_t gfn);
int evtchn_fifo_init_control(struct xen_dom *x, uint64_t gfn, uint32_t offset, uint32_t vcpu,
                             evtchn_map_fn map);
int evtchn_fifo_expand_array(struct xen_dom *x, uint64_t gfn, evtchn_map_fn map);
int evtchn_set_priority(struct xen_dom *x, uint32_t port, uint32_t priority);

/* 2-level delivery on x's shared_info (evtchn_2l.c). */
void evtchn_2l_set_pending(struct xen_dom *x, uint32_t vcpu, uint32_t port);
void evtchn_2l_clear_pending(struct xen_dom *x, uint32_t port);
void evtchn_2l_unmask(struct xen_dom *x, uint32_t vcpu, uint32_t port);
/* A vCPU's vcpu_info moved: flag every word so the guest rescans (Xen does). */
void evtchn_2l_kick_all(struct xen_dom *x, uint32_t vcpu);

#endif
