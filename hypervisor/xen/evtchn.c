/*
 * Event channels: the per-domain port table and the bindings between ports,
 * with Xen 4.17's semantics and error codes (see xen/evtchn.h for the
 * locking scheme). Delivery itself is evtchn_2l.c or, for a domain that has
 * switched ABI, evtchn_fifo.c; unmask and a port's state for SCHEDOP_poll are
 * evtchn_mask.c; the hypervisor's own ports are evtchn_xen.c.
 */
#include <cloison/arch.h>
#include <cloison/errno.h>
#include <xen/evtchn.h>
#include <cloison/mm.h>
#include <cloison/spinlock.h>
#include <lib/idtab.h>
#include <xen/xen_domain.h>
#include <public/xen.h>
#include <string.h>
#include "evtchn_priv.h"

/* Domains by id, for the operations that name another domain (see
 * xen/evtchn.h): O(1) however many domains there are (lib/idtab). */
static spinlock_t registry_lock = SPINLOCK_INIT;
static struct idtab registry;
static bool registry_ready;
static const struct idtab_heap registry_heap = {xzalloc, xfree};

/* Per-vCPU VIRQs; every other VIRQ is global and bound on vCPU 0 only. */
static bool virq_is_global(uint32_t virq)
{
    return virq != VIRQ_TIMER && virq != VIRQ_DEBUG && virq != VIRQ_XENOPROF && virq != VIRQ_XENPMU;
}

#define port_valid evtchn_port_valid
#define chan evtchn_chan
/* Shared with evtchn_xen.c through evtchn_priv.h. */
#define set_pending evtchn_set_pending
#define lock_table evtchn_lock_table
#define unlock_table evtchn_unlock_table
#define get_free_port evtchn_get_free_port
#define take_port evtchn_take_port
#define deliver evtchn_deliver
#define lock_with_peer evtchn_lock_with_peer
#define unlock_with_peer evtchn_unlock_with_peer
#define unbind_locked evtchn_unbind_locked

/* Delivery goes to whichever ABI the domain uses now. */
void set_pending(struct xen_dom *x, uint32_t port)
{
    ASSERT_HELD(&x->pending_lock);
    if (x->fifo)
        evtchn_fifo_set_pending(x, port);
    else
        evtchn_2l_set_pending(x, chan(x, port)->notify_vcpu, port);
}

/* Raise `port` of x from outside x's own writers: x's pending_lock only,
 * whatever evtchn_lock the caller holds. */
void deliver(struct xen_dom *x, uint32_t port)
{
    spin_lock(&x->pending_lock);
    set_pending(x, port);
    spin_unlock(&x->pending_lock);
}

/* A pin keeps x (and its locks) allocated while a pCPU holds none of them:
 * evtchn_destroy() waits for the last one before the table goes. */
static void pin(struct xen_dom *x)
{
    __atomic_fetch_add(&x->evtchn_pins, 1, __ATOMIC_ACQ_REL);
}

static void unpin(struct xen_dom *x)
{
    __atomic_fetch_sub(&x->evtchn_pins, 1, __ATOMIC_ACQ_REL);
}

/* The registered domain with this id, pinned, or NULL. Taken holding no
 * evtchn lock; only the heap's is taken under registry_lock. */
static struct xen_dom *lookup_pinned(uint16_t domid)
{
    spin_lock(&registry_lock);
    struct xen_dom *x = registry_ready ? idtab_get(&registry, domid) : NULL;
    if (x)
        pin(x);
    spin_unlock(&registry_lock);
    return x;
}

/* Xen's rcu_lock_domain_by_any_id then the XSM_TARGET check: -ESRCH for no
 * such domain, -EPERM for someone else's unless privileged. Another domain
 * comes pinned: release it with target_put(). */
static int target_get(struct xen_dom *caller, uint16_t dom, struct xen_dom **out)
{
    if (dom == DOMID_SELF || dom == caller->domid) {
        *out = caller;
        return 0;
    }
    struct xen_dom *t = lookup_pinned(dom);
    if (!t)
        return -ESRCH;
    if (!caller->privileged) {
        unpin(t);
        return -EPERM;
    }
    *out = t;
    return 0;
}

static void target_put(struct xen_dom *caller, struct xen_dom *t)
{
    if (t != caller)
        unpin(t);
}

/* One domain's table for writing: its bindings, then its delivery state. */
void lock_table(struct xen_dom *x)
{
    spin_lock(&x->evtchn_lock);
    spin_lock(&x->pending_lock);
}

void unlock_table(struct xen_dom *x)
{
    spin_unlock(&x->pending_lock);
    spin_unlock(&x->evtchn_lock);
}

/* The bucket of `port`, and its group if that is missing too. A group left
 * empty by a failed bucket allocation is freed by a reset or destroy. */
static int alloc_bucket(struct xen_dom *x, uint32_t port)
{
    struct evtchn ***g = &x->groups[port / EVTCHN_GROUP_PORTS];
    if (!*g && !(*g = xzalloc_guest(EVTCHN_GROUP_BUCKETS * sizeof(**g))))
        return -ENOMEM;
    struct evtchn **b = &(*g)[port / EVTCHN_BUCKET_PORTS % EVTCHN_GROUP_BUCKETS];
    if (!(*b = xzalloc_guest(EVTCHN_BUCKET_PORTS * sizeof(**b))))
        return -ENOMEM;
    if (port == 0)
        (*b)[0].state = ECS_RESERVED;
    return 0;
}

/* Lowest free port below the domain's limit for its ABI, allocating its
 * bucket on first use; -ENOSPC when full (Xen's error for the limit too). */
int get_free_port(struct xen_dom *x, uint32_t *out)
{
    ASSERT_HELD(&x->pending_lock); /* and evtchn_lock: it may add a bucket */
    for (uint32_t p = x->free_hint; p < x->max_ports; p++) {
        if (!evtchn_bucket(x, p)) {
            int rc = alloc_bucket(x, p);
            if (rc)
                return rc;
        }
        if (chan(x, p)->state == ECS_FREE) {
            x->free_hint = p;
            *out = p;
            return 0;
        }
    }
    return -ENOSPC;
}

/* Forget the binding but not the FIFO queue the port may still be linked on. */
static void clear_binding(struct evtchn *c)
{
    uint8_t lv = c->last_vcpu, lp = c->last_priority;
    memset(c, 0, sizeof(*c));
    c->last_vcpu = lv;
    c->last_priority = lp;
}

/* A port from get_free_port() gets its state: it is now in use. */
struct evtchn *take_port(struct xen_dom *x, uint32_t port, uint8_t state, uint32_t vcpu)
{
    ASSERT_HELD(&x->pending_lock);
    struct evtchn *c = chan(x, port);
    ASSERT(c->state == ECS_FREE);
    clear_binding(c);
    c->state = state;
    c->priority = EVTCHN_FIFO_PRIORITY_DEFAULT; /* as Xen, for either ABI */
    c->notify_vcpu = (uint8_t)vcpu;
    x->free_hint = port + 1;
    x->ports_used++;
    return c;
}

static void free_port(struct xen_dom *x, uint32_t port)
{
    ASSERT_HELD(&x->pending_lock);
    struct evtchn *c = chan(x, port);
    /* A later binding of this port must not see a stale event. A backend's
     * port above 4095 may outlive a reset to 2-level: it has no bit there. */
    if (x->fifo)
        evtchn_fifo_clear_pending(x, port);
    else if (port < EVTCHN_2L_NR_CHANNELS)
        evtchn_2l_clear_pending(x, port);
    clear_binding(c);
    if (port < x->free_hint)
        x->free_hint = port;
    x->ports_used--;
}

static bool bucket_in_use(const struct evtchn *b)
{
    for (unsigned int i = 0; i < EVTCHN_BUCKET_PORTS; i++)
        if (b[i].state != ECS_FREE)
            return true;
    return false;
}

/* Free a group whose buckets are all gone (one a failed bucket allocation
 * left behind, or one a reset emptied); a group is 64 pointers. */
static void free_group_if_empty(struct xen_dom *x, unsigned int g)
{
    struct evtchn **grp = x->groups[g];
    for (unsigned int b = 0; grp && b < EVTCHN_GROUP_BUCKETS; b++)
        if (grp[b])
            return;
    xfree(grp);
    x->groups[g] = NULL;
}

/* Free every bucket and group (destroy; nobody reaches the table any more). */
static void free_table(struct xen_dom *x)
{
    for (unsigned int g = 0; g < EVTCHN_NR_GROUPS; g++) {
        struct evtchn **grp = x->groups[g];
        for (unsigned int b = 0; grp && b < EVTCHN_GROUP_BUCKETS; b++) {
            xfree(grp[b]);
            grp[b] = NULL;
        }
        free_group_if_empty(x, g);
    }
}

/* Xen gives dom0 no limit beyond the ABI's; a domU has what its boot
 * description says, else the 2-level space. */
static uint32_t port_limit(const struct xen_dom *x)
{
    uint32_t n = evtchn_configured_ports(x);
    if (x->privileged)
        return EVTCHN_FIFO_NR_CHANNELS;
    return n && n <= EVTCHN_FIFO_NR_CHANNELS ? n : EVTCHN_DEFAULT_PORTS;
}

int evtchn_init(struct xen_dom *x)
{
    x->evtchn_lock = (spinlock_t)SPINLOCK_INIT;
    x->pending_lock = (spinlock_t)SPINLOCK_INIT;
    x->port_limit = port_limit(x);
    evtchn_abi_changed(x); /* 2-level until the guest sets up FIFO */
    x->free_hint = 0;
    uint32_t zero;
    lock_table(x);
    int rc = get_free_port(x, &zero); /* bucket 0, with port 0 reserved */
    unlock_table(x);
    if (rc) {
        free_table(x); /* the caller frees x without evtchn_destroy */
        return rc;
    }
    spin_lock(&registry_lock);
    if (!registry_ready) {
        idtab_init(&registry, DOMID_FIRST_RESERVED, &registry_heap);
        registry_ready = true;
    }
    rc = idtab_take(&registry, x->domid);
    if (rc >= 0)
        idtab_publish(&registry, x->domid, x);
    spin_unlock(&registry_lock);
    if (rc < 0) {      /* no memory for the table's leaf (an id is never registered twice) */
        free_table(x); /* as above */
        return -ENOMEM;
    }
    return 0;
}

/* The other domain `port` of x is bound to, NULL if none (or x itself).
 * Only a bucket that exists is looked at, whatever the ABI's limit now. */
static struct xen_dom *peer_of(struct xen_dom *x, uint32_t port)
{
    ASSERT_HELD(&x->evtchn_lock);
    if (port >= EVTCHN_FIFO_NR_CHANNELS || !evtchn_bucket(x, port))
        return NULL;
    const struct evtchn *c = chan(x, port);
    return c->state == ECS_INTERDOMAIN && c->remote != x ? c->remote : NULL;
}

/*
 * Lock x's bindings and, if `port` is bound to another domain, that domain's
 * too, the lower domain id first (cloison/spinlock.h). Holding x's, the peer's
 * is tried; if it is busy and comes first, x's is dropped and both are taken
 * in order, the peer pinned meanwhile (nothing else keeps it allocated then),
 * and the binding looked at again. Returns the peer whose lock is held.
 */
struct xen_dom *lock_with_peer(struct xen_dom *x, uint32_t port)
{
    spin_lock(&x->evtchn_lock);
    for (;;) {
        struct xen_dom *r = peer_of(x, port);
        if (!r)
            return NULL;
        if (r->domid > x->domid) {
            spin_lock(&r->evtchn_lock);
            return r;
        }
        if (spin_trylock(&r->evtchn_lock))
            return r;
        pin(r);
        spin_unlock(&x->evtchn_lock);
        spin_lock(&r->evtchn_lock);
        spin_lock(&x->evtchn_lock);
        if (peer_of(x, port) == r) {
            unpin(r); /* the binding keeps it now: its teardown needs our lock */
            return r;
        }
        spin_unlock(&r->evtchn_lock); /* rebound meanwhile: unlock before unpinning */
        unpin(r);
    }
}

void unlock_with_peer(struct xen_dom *x, struct xen_dom *r)
{
    if (r)
        spin_unlock(&r->evtchn_lock);
    spin_unlock(&x->evtchn_lock);
}

/* Both domains' bindings, the lower domain id first; once if they are one. */
static void lock_pair(struct xen_dom *a, struct xen_dom *b)
{
    struct xen_dom *first = a->domid <= b->domid ? a : b;
    spin_lock(&first->evtchn_lock);
    if (a != b)
        spin_lock(&(first == a ? b : a)->evtchn_lock);
}

static void unlock_pair(struct xen_dom *a, struct xen_dom *b)
{
    if (a != b)
        spin_unlock(&b->evtchn_lock);
    spin_unlock(&a->evtchn_lock);
}

/* The other end of x's interdomain port c goes back to unbound, bindable
 * again by x; that end's domain's evtchn_lock and pending_lock are held. */
static void unbind_peer_end(struct xen_dom *x, const struct evtchn *c)
{
    struct xen_dom *rd = c->remote;
    ASSERT_HELD(&rd->evtchn_lock);
    ASSERT_HELD(&rd->pending_lock);
    struct evtchn *r = chan(rd, c->remote_port);
    r->state = ECS_UNBOUND;
    r->remote = NULL; /* remote_domid shares its bytes */
    r->remote_domid = x->domid;
}

/* Free a port in use, x's pending_lock held (and its evtchn_lock): its VIRQ
 * slot, the other end of a channel to x itself, then the port. */
static void release_port(struct xen_dom *x, uint32_t port)
{
    ASSERT_HELD(&x->pending_lock);
    struct evtchn *c = chan(x, port);
    if (c->state == ECS_INTERDOMAIN && c->remote == x)
        unbind_peer_end(x, c);
    if (c->state == ECS_VIRQ)
        for (unsigned int v = 0; v < XEN_DOM_MAX_VCPUS; v++)
            if (c->remote_port < NR_VIRQS && x->virq_port[v][c->remote_port] == port)
                x->virq_port[v][c->remote_port] = 0;
    free_port(x, port);
}

/* Undo the binding of a port in use and free it. x's evtchn_lock is held,
 * and the peer's if the port is bound to another domain. */
void unbind_locked(struct xen_dom *x, uint32_t port)
{
    ASSERT_HELD(&x->evtchn_lock);
    struct evtchn *c = chan(x, port);
    if (c->state == ECS_INTERDOMAIN && c->remote != x) {
        spin_lock(&c->remote->pending_lock);
        unbind_peer_end(x, c);
        spin_unlock(&c->remote->pending_lock);
    }
    spin_lock(&x->pending_lock);
    release_port(x, port);
    spin_unlock(&x->pending_lock);
}

/* The guest's EVTCHNOP_close: a backend's end is not the guest's to close
 * (Xen's -EINVAL for a Xen-attached channel). */
static int close_locked(struct xen_dom *x, uint32_t port)
{
    ASSERT_HELD(&x->evtchn_lock);
    if (!port_valid(x, port) || chan(x, port)->state == ECS_FREE ||
        chan(x, port)->state == ECS_RESERVED || chan(x, port)->backend)
        return -EINVAL;
    unbind_locked(x, port);
    return 0;
}

/* Close `port` if its bucket exists and it is in use (a reset keeps the
 * hypervisor backends' ports), taking the locks it needs itself. */
static void close_any(struct xen_dom *x, uint32_t port, bool keep_xen)
{
    struct xen_dom *r = lock_with_peer(x, port);
    if (evtchn_bucket(x, port)) {
        const struct evtchn *c = chan(x, port);
        if (c->state != ECS_FREE && c->state != ECS_RESERVED &&
            !(keep_xen && evtchn_hypervisor_owned(c)))
            unbind_locked(x, port);
    }
    unlock_with_peer(x, r);
}

/* The bucket holding p (not bucket 0, whose port 0 is reserved), if it
 * exists: freed if no port in it is in use, and its group with it if that
 * was the last. */
static void free_bucket_if_empty(struct xen_dom *x, uint32_t p)
{
    ASSERT_HELD(&x->pending_lock);
    if (p < EVTCHN_BUCKET_PORTS || !evtchn_bucket(x, p))
        return;
    struct evtchn **b =
        &x->groups[p / EVTCHN_GROUP_PORTS][p / EVTCHN_BUCKET_PORTS % EVTCHN_GROUP_BUCKETS];
    if (bucket_in_use(*b))
        return;
    xfree(*b);
    *b = NULL;
    free_group_if_empty(x, p / EVTCHN_GROUP_PORTS);
}

/*
 * Close the ports in use from p to the end of its bucket (a reset keeps the
 * backends' ports) with x's locks taken once for the bucket; a port bound to
 * another domain is closed on its own with its peer's lock, x's dropped
 * meanwhile (the bucket may be gone after that: a concurrent reset). The
 * bucket is freed if that emptied it. Returns the next allocated port.
 */
static uint32_t close_bucket(struct xen_dom *x, uint32_t p, bool keep_xen)
{
    uint32_t end = (p / EVTCHN_BUCKET_PORTS + 1) * EVTCHN_BUCKET_PORTS;
    lock_table(x);
    for (; p < end && evtchn_bucket(x, p); p++) {
        const struct evtchn *c = chan(x, p);
        if (c->state == ECS_FREE || c->state == ECS_RESERVED ||
            (keep_xen && evtchn_hypervisor_owned(c)))
            continue;
        if (c->state != ECS_INTERDOMAIN || c->remote == x) {
            release_port(x, p);
            continue;
        }
        unlock_table(x);
        close_any(x, p, keep_xen);
        lock_table(x);
    }
    free_bucket_if_empty(x, end - 1);
    p = evtchn_next_allocated(x, end);
    unlock_table(x);
    return p;
}

/* The first allocated port >= p, looked up under x's lock. */
static uint32_t next_allocated(struct xen_dom *x, uint32_t p)
{
    spin_lock(&x->evtchn_lock);
    p = evtchn_next_allocated(x, p);
    spin_unlock(&x->evtchn_lock);
    return p;
}

/*
 * Unregistered first, so no lookup finds it; marked dead, so whoever pinned
 * it before makes no new binding; then every port is closed, whatever the
 * ABI's limit now (a backend's port may lie above it after a reset), each
 * with its peer's lock; then the pins are waited out. Bounded by the
 * domain's own ports.
 */
void evtchn_destroy(struct xen_dom *x)
{
    spin_lock(&registry_lock);
    if (registry_ready && idtab_get(&registry, x->domid) == x)
        idtab_free(&registry, x->domid);
    spin_unlock(&registry_lock);
    spin_lock(&x->evtchn_lock);
    x->evtchn_dead = true;
    spin_unlock(&x->evtchn_lock);
    for (uint32_t p = next_allocated(x, 1); p < EVTCHN_FIFO_NR_CHANNELS;)
        p = close_bucket(x, p, false);
    lock_table(x);
    if (x->fifo)
        evtchn_fifo_free(x);
    unlock_table(x);
    while (__atomic_load_n(&x->evtchn_pins, __ATOMIC_ACQUIRE))
        arch_cpu_relax(); /* a peer between dropping and retaking locks: a few instructions */
    /* Unregistered, unbound, unpinned: nobody reaches the table any more. */
    free_table(x);
}

int evtchn_alloc_unbound(struct xen_dom *caller, uint16_t dom, uint16_t remote_dom, uint32_t *port)
{
    struct xen_dom *x;
    int rc = target_get(caller, dom, &x);
    if (rc)
        return rc;
    lock_table(x);
    rc = x->evtchn_dead ? -ESRCH : get_free_port(x, port);
    if (!rc) {
        /* Xen does not check that remote_dom exists: it may be created later. */
        struct evtchn *c = take_port(x, *port, ECS_UNBOUND, 0);
        c->remote_domid = remote_dom == DOMID_SELF ? caller->domid : remote_dom;
    }
    unlock_table(x);
    target_put(caller, x);
    return rc;
}

/* Both bindings are written with both evtchn_locks held, each side's under
 * its own pending_lock, one at a time. */
static int bind_locked(struct xen_dom *ld, struct xen_dom *rd, uint32_t rport, uint32_t *lport)
{
    spin_lock(&ld->pending_lock);
    int rc = rd->evtchn_dead ? -ESRCH : get_free_port(ld, lport);
    /* Only an unbound port reserved for us; a second bind finds it bound. */
    if (!rc && (!port_valid(rd, rport) || chan(rd, rport)->state != ECS_UNBOUND ||
                chan(rd, rport)->remote_domid != ld->domid))
        rc = -EINVAL;
    if (!rc) {
        struct evtchn *l = take_port(ld, *lport, ECS_INTERDOMAIN, 0);
        l->remote = rd;
        l->remote_port = rport;
    }
    spin_unlock(&ld->pending_lock);
    if (rc)
        return rc;
    spin_lock(&rd->pending_lock);
    struct evtchn *r = chan(rd, rport);
    r->state = ECS_INTERDOMAIN;
    r->remote = ld;
    r->remote_port = *lport;
    spin_unlock(&rd->pending_lock);
    /* The peer may have signalled before we bound: Xen marks the new port
     * pending so no notification is lost. */
    deliver(ld, *lport);
    return 0;
}

int evtchn_bind_interdomain(struct xen_dom *ld, uint16_t remote_dom, uint32_t rport,
                            uint32_t *lport)
{
    bool self = remote_dom == DOMID_SELF || remote_dom == ld->domid;
    struct xen_dom *rd = self ? ld : lookup_pinned(remote_dom);
    if (!rd)
        return -ESRCH;
    lock_pair(ld, rd);
    int rc = bind_locked(ld, rd, rport, lport);
    unlock_pair(ld, rd);
    if (!self)
        unpin(rd);
    return rc;
}

int evtchn_bind_virq(struct xen_dom *x, uint32_t virq, uint32_t vcpu, uint32_t *port)
{
    if (virq >= NR_VIRQS || (virq_is_global(virq) && vcpu != 0))
        return -EINVAL;
    if (vcpu >= x->nr_vcpus)
        return -ENOENT;
    lock_table(x);
    int rc = x->virq_port[vcpu][virq] ? -EEXIST : get_free_port(x, port);
    if (!rc) {
        struct evtchn *c = take_port(x, *port, ECS_VIRQ, vcpu);
        c->remote_port = virq;
        x->virq_port[vcpu][virq] = *port;
    }
    unlock_table(x);
    return rc;
}

int evtchn_bind_ipi(struct xen_dom *x, uint32_t vcpu, uint32_t *port)
{
    if (vcpu >= x->nr_vcpus)
        return -ENOENT;
    lock_table(x);
    int rc = get_free_port(x, port);
    if (!rc)
        take_port(x, *port, ECS_IPI, vcpu);
    unlock_table(x);
    return rc;
}

int evtchn_bind_vcpu(struct xen_dom *x, uint32_t port, uint32_t vcpu)
{
    if (vcpu >= x->nr_vcpus)
        return -ENOENT;
    lock_table(x);
    int rc = -EINVAL;
    if (port_valid(x, port)) {
        struct evtchn *c = chan(x, port);
        /* Per-vCPU VIRQs and IPIs stay where they were bound; a backend's
         * end is not the guest's to move (Xen: Xen-attached, -EINVAL). */
        bool movable = (c->state == ECS_UNBOUND && !c->backend) ||
                       (c->state == ECS_INTERDOMAIN && !c->backend) || c->state == ECS_XEN ||
                       (c->state == ECS_VIRQ && virq_is_global(c->remote_port));
        if (movable) {
            c->notify_vcpu = (uint8_t)vcpu;
            rc = 0;
        }
    }
    unlock_table(x);
    return rc;
}

int evtchn_close(struct xen_dom *x, uint32_t port)
{
    struct xen_dom *r = lock_with_peer(x, port);
    int rc = close_locked(x, port);
    unlock_with_peer(x, r);
    return rc;
}

/*
 * The sender's own evtchn_lock keeps its binding, and so the peer, in place
 * (the peer's teardown unbinds under it); the event goes in under the
 * receiver's pending_lock alone. So two domains' sends share no lock unless
 * one sends to the other. A peer end that a hypervisor backend owns is not
 * raised: the backend is called with no lock held (it takes its own, above
 * evtchn_lock), the peer pinned meanwhile so that its table, and what its
 * teardown frees after the table, stay.
 */
int evtchn_send(struct xen_dom *x, uint32_t port)
{
    evtchn_xen_notify_fn notify = NULL;
    struct xen_dom *to = x, *pinned = NULL;
    uint32_t to_port = port;
    spin_lock(&x->evtchn_lock);
    int rc = 0;
    if (!port_valid(x, port) || chan(x, port)->backend) {
        rc = -EINVAL; /* Xen: a guest cannot send on a Xen-attached channel */
    } else {
        struct evtchn *c = chan(x, port);
        switch (c->state) {
        case ECS_INTERDOMAIN:
            if (!chan(c->remote, c->remote_port)->backend) {
                deliver(c->remote, c->remote_port);
                break;
            }
            to = pinned = c->remote;
            to_port = c->remote_port;
            notify = evtchn_backend_fn(chan(to, to_port)->backend);
            pin(pinned);
            break;
        case ECS_IPI:
            deliver(x, port);
            break;
        case ECS_UNBOUND: /* nobody listens yet: silently dropped, as on Xen */
            break;
        case ECS_XEN:
            notify = c->xen_notify;
            break;
        default:
            rc = -EINVAL;
        }
    }
    spin_unlock(&x->evtchn_lock);
    /* Outside the lock: the backend may raise events itself. */
    if (notify)
        notify(to->d, to_port);
    if (pinned)
        unpin(pinned);
    return rc;
}

static const uint32_t status_of[] = {
    [ECS_FREE] = EVTCHNSTAT_closed,     [ECS_RESERVED] = EVTCHNSTAT_closed,
    [ECS_UNBOUND] = EVTCHNSTAT_unbound, [ECS_INTERDOMAIN] = EVTCHNSTAT_interdomain,
    [ECS_VIRQ] = EVTCHNSTAT_virq,       [ECS_IPI] = EVTCHNSTAT_ipi,
    [ECS_XEN] = EVTCHNSTAT_interdomain,
};

static void status_locked(struct xen_dom *x, struct evtchn_status *st)
{
    ASSERT_HELD(&x->evtchn_lock);
    const struct evtchn *c = chan(x, st->port);
    memset(&st->u, 0, sizeof(st->u));
    st->status = status_of[c->state];
    st->vcpu = c->notify_vcpu;
    if (c->state == ECS_UNBOUND) {
        st->u.unbound.dom = c->remote_domid;
    } else if (c->state == ECS_INTERDOMAIN) {
        st->u.interdomain.dom = c->remote->domid; /* bound: kept by our lock */
        st->u.interdomain.port = c->remote_port;
    } else if (c->state == ECS_XEN) {
        st->u.interdomain.dom = DOMID_XEN; /* the peer is the hypervisor */
        st->u.interdomain.port = st->port;
    } else if (c->state == ECS_VIRQ) {
        st->u.virq = c->remote_port;
    }
}

int evtchn_status(struct xen_dom *caller, struct evtchn_status *st)
{
    struct xen_dom *x;
    int rc = target_get(caller, st->dom, &x);
    if (rc)
        return rc;
    spin_lock(&x->evtchn_lock);
    if (x->evtchn_dead)
        rc = -ESRCH;
    else if (!port_valid(x, st->port))
        rc = -EINVAL;
    else if (chan(x, st->port)->backend)
        rc = -EACCES; /* Xen: nobody's business, the state of a Xen-attached end */
    else
        status_locked(x, st);
    spin_unlock(&x->evtchn_lock);
    target_put(caller, x);
    return rc;
}

/* The end of a reset: back to the 2-level ABI, as Xen's evtchn_reset. */
static void reset_done(struct xen_dom *x)
{
    lock_table(x);
    x->reset_next = 0;
    for (unsigned int g = 1; g < EVTCHN_NR_GROUPS; g++)
        free_group_if_empty(x, g); /* one a failed allocation left */
    if (x->fifo)
        evtchn_fifo_free(x);
    unlock_table(x);
}

/*
 * Close every port of the target (but backends'), free the buckets that
 * leaves empty and go back to 2-level, as Xen's evtchn_reset: a domain that
 * once used many ports costs only what it still uses. At most
 * EVTCHN_RESET_PORTS ports per call: where it stopped is kept in the target
 * (Xen's next_evtchn), and the caller's re-issued hypercall goes on from
 * there (EVTCHN_CONTINUE). Each port is closed under its own and its peer's
 * locks, as EVTCHNOP_close would, so other domains are held up for one port
 * at a time. A port taken meanwhile below that point survives the reset, as
 * on Xen; so does the progress of a reset the caller abandoned (it cannot,
 * short of leaving the HVC it returns to).
 */
int evtchn_reset(struct xen_dom *caller, uint16_t dom)
{
    struct xen_dom *x;
    int rc = target_get(caller, dom, &x);
    if (rc)
        return rc;
    spin_lock(&x->evtchn_lock);
    rc = x->evtchn_dead ? -ESRCH : 0;
    uint32_t p = rc ? 0 : evtchn_next_allocated(x, x->reset_next ? x->reset_next : 1);
    spin_unlock(&x->evtchn_lock);
    for (uint32_t done = 0; !rc && p < EVTCHN_FIFO_NR_CHANNELS; done += EVTCHN_BUCKET_PORTS) {
        if (done >= EVTCHN_RESET_PORTS) {
            spin_lock(&x->evtchn_lock);
            x->reset_next = p;
            spin_unlock(&x->evtchn_lock);
            rc = EVTCHN_CONTINUE;
            break;
        }
        p = close_bucket(x, p, true);
    }
    if (!rc)
        reset_done(x);
    target_put(caller, x);
    return rc;
}

void evtchn_send_virq(struct xen_dom *x, uint32_t virq, uint32_t vcpu)
{
    if (virq >= NR_VIRQS || vcpu >= XEN_DOM_MAX_VCPUS)
        return;
    spin_lock(&x->pending_lock);
    uint32_t port = x->virq_port[vcpu][virq];
    if (port)
        set_pending(x, port);
    spin_unlock(&x->pending_lock);
}

void evtchn_send_global_virq(uint32_t virq)
{
    if (virq >= NR_VIRQS || !virq_is_global(virq))
        return;
    /* Pinned: dom0 cannot be freed meanwhile; a dom0 being torn down has
     * unbound its VIRQs (under the same pending_lock). */
    struct xen_dom *x = lookup_pinned(0);
    if (!x)
        return;
    evtchn_send_virq(x, virq, 0);
    unpin(x);
}
