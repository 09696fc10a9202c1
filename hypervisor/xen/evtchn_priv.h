/*
 * Private to xen/evtchn*.c: one port's binding and the ABI-specific delivery
 * hooks. Everything here runs under the domain's pending_lock (see
 * xen/evtchn.h for which fields need its evtchn_lock too).
 */
#ifndef CORE_EVTCHN_PRIV_H
#define CORE_EVTCHN_PRIV_H

#include <xen/evtchn.h>
#include <cloison/assert.h>
#include <cloison/spinlock.h>
#include <xen/xen_domain.h>

enum evtchn_state {
    ECS_FREE,
    ECS_RESERVED, /* port 0: never handed out (Linux relies on it) */
    ECS_UNBOUND,
    ECS_INTERDOMAIN,
    ECS_VIRQ,
    ECS_IPI,
    ECS_XEN, /* consumed by a hypervisor-side backend */
};

/* 16 bytes, so a bucket of 64 ports is 1 KiB: what only one state uses
 * shares a union, the FIFO bookkeeping is packed into bits. */
struct evtchn {
    union {
        struct xen_dom *remote;          /* INTERDOMAIN: the peer (unbinds before it is freed) */
        evtchn_xen_notify_fn xen_notify; /* XEN: the backend to call on send */
        uint16_t remote_domid;           /* UNBOUND: the only domain allowed to bind it */
    };
    uint32_t remote_port; /* INTERDOMAIN: the peer's port; VIRQ: the virq */
    uint8_t state;
    uint8_t notify_vcpu;
    unsigned int priority : 4; /* FIFO queue of the next link */
    /* UNBOUND or INTERDOMAIN: the hypervisor backend this end belongs to
     * (evtchn_xen.c's number for it), 0 = the guest's own. */
    unsigned int backend : 4;
    /* FIFO ABI. The queue the port was last linked on survives the port being
     * freed and reused: the guest may still hold it linked there. */
    unsigned int last_vcpu : 3;
    unsigned int last_priority : 4;
    bool fifo_pending : 1; /* pending while the port has no event word yet */
};
_Static_assert(sizeof(struct evtchn) == 16, "a bucket of 64 ports fills 1 KiB");
_Static_assert(XEN_DOM_MAX_VCPUS <= 8 && EVTCHN_FIFO_MAX_QUEUES <= 16,
               "last_vcpu, priority and last_priority fit their bits");
#define EVTCHN_MAX_BACKENDS 15 /* what `backend` can name */

/* The bucket holding `port`, NULL if it was never allocated. */
static inline struct evtchn *evtchn_bucket(const struct xen_dom *x, uint32_t port)
{
    struct evtchn **g =
        port < EVTCHN_FIFO_NR_CHANNELS ? x->groups[port / EVTCHN_GROUP_PORTS] : NULL;
    return g ? g[port / EVTCHN_BUCKET_PORTS % EVTCHN_GROUP_BUCKETS] : NULL;
}

static inline bool evtchn_port_valid(const struct xen_dom *x, uint32_t port)
{
    return port < x->max_ports && evtchn_bucket(x, port);
}

/* Only for a port whose bucket exists (valid now, or bound earlier). */
static inline struct evtchn *evtchn_chan(struct xen_dom *x, uint32_t port)
{
    return &evtchn_bucket(x, port)[port % EVTCHN_BUCKET_PORTS];
}

/* The first port >= p whose bucket exists, or EVTCHN_FIFO_NR_CHANNELS: walks
 * the table skipping what was never allocated. */
static inline uint32_t evtchn_next_allocated(const struct xen_dom *x, uint32_t p)
{
    while (p < EVTCHN_FIFO_NR_CHANNELS && !evtchn_bucket(x, p)) {
        uint32_t step =
            x->groups[p / EVTCHN_GROUP_PORTS] ? EVTCHN_BUCKET_PORTS : EVTCHN_GROUP_PORTS;
        p = (p / step + 1) * step;
    }
    return p;
}

/* Valid ports follow the ABI: the 2-level bitmaps end at 4096, FIFO goes up
 * to the domain's own limit. Called whenever x->fifo changes. */
static inline void evtchn_abi_changed(struct xen_dom *x)
{
    x->max_ports =
        x->fifo || x->port_limit < EVTCHN_2L_NR_CHANNELS ? x->port_limit : EVTCHN_2L_NR_CHANNELS;
}

/* evtchn.c's port table, for evtchn_xen.c (the hypervisor's own ports).
 * Raise `port` in x, whichever ABI it uses (x's pending_lock held). */
void evtchn_set_pending(struct xen_dom *x, uint32_t port);
/* x's evtchn_lock then pending_lock: what a change of its table holds. */
void evtchn_lock_table(struct xen_dom *x);
void evtchn_unlock_table(struct xen_dom *x);
/* The lowest free port below x's limit (its bucket allocated if need be);
 * -ENOSPC or -ENOMEM. Table locked. */
int evtchn_get_free_port(struct xen_dom *x, uint32_t *out);
/* That port, now in use in `state`, its events for `vcpu`. Table locked. */
struct evtchn *evtchn_take_port(struct xen_dom *x, uint32_t port, uint8_t state, uint32_t vcpu);
/* Raise `port` of x holding only x's pending_lock (whatever evtchn_lock). */
void evtchn_deliver(struct xen_dom *x, uint32_t port);
/* x's evtchn_lock and, if `port` is bound to another domain, that one's, in
 * the lock order; returns that peer (NULL if none) for the unlock. */
struct xen_dom *evtchn_lock_with_peer(struct xen_dom *x, uint32_t port);
void evtchn_unlock_with_peer(struct xen_dom *x, struct xen_dom *r);
/* Unbind and free a port in use, with the locks evtchn_lock_with_peer took. */
void evtchn_unbind_locked(struct xen_dom *x, uint32_t port);

/* A hypervisor backend's function by its number (evtchn_xen.c). */
evtchn_xen_notify_fn evtchn_backend_fn(unsigned int n);
/* Ports a reset keeps and the guest may not close: the hypervisor's. */
static inline bool evtchn_hypervisor_owned(const struct evtchn *c)
{
    return c->state == ECS_XEN || c->backend;
}

/* FIFO delivery (evtchn_fifo.c), used once x->fifo is set. */
void evtchn_fifo_set_pending(struct xen_dom *x, uint32_t port);
void evtchn_fifo_clear_pending(struct xen_dom *x, uint32_t port);
void evtchn_fifo_unmask(struct xen_dom *x, uint32_t port);
unsigned int evtchn_fifo_port_flags(struct xen_dom *x, uint32_t port);
void evtchn_fifo_free(struct xen_dom *x); /* back to 2-level (reset, destroy) */

#endif
