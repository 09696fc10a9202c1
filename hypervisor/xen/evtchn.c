/*
 * Event channels: the per-domain port table and the bindings between ports,
 * with Xen 4.17's semantics and error codes (see xen/evtchn.h for the
 * locking scheme). Delivery itself is evtchn_2l.c or, for a domain that has
 * switched ABI, evtchn_fifo.c.
 */
#include <cloison/errno.h>
#include <xen/evtchn.h>
#include <cloison/mm.h>
#include <cloison/spinlock.h>
#include <xen/xen_domain.h>
#include <public/xen.h>
#include <string.h>
#include "evtchn_priv.h"

spinlock_t evtchn_lock = SPINLOCK_INIT; /* also taken by evtchn_fifo.c */
static struct xen_dom *registry;

/* Per-vCPU VIRQs; every other VIRQ is global and bound on vCPU 0 only. */
static bool virq_is_global(uint32_t virq)
{
    return virq != VIRQ_TIMER && virq != VIRQ_DEBUG && virq != VIRQ_XENOPROF && virq != VIRQ_XENPMU;
}

#define port_valid evtchn_port_valid
#define chan evtchn_chan

/* Delivery goes to whichever ABI the domain uses now. */
static void set_pending(struct xen_dom *x, uint32_t port)
{
    if (x->fifo)
        evtchn_fifo_set_pending(x, port);
    else
        evtchn_2l_set_pending(x, chan(x, port)->notify_vcpu, port);
}

static struct xen_dom *lookup_locked(uint16_t domid)
{
    ASSERT_HELD(&evtchn_lock);
    for (struct xen_dom *x = registry; x; x = x->evtchn_next)
        if (x->domid == domid)
            return x;
    return NULL;
}

/* Xen's rcu_lock_domain_by_any_id then the XSM_TARGET check: -ESRCH for no
 * such domain, -EPERM for someone else's unless privileged. */
static int target_locked(struct xen_dom *caller, uint16_t dom, struct xen_dom **out)
{
    ASSERT_HELD(&evtchn_lock);
    struct xen_dom *t = dom == DOMID_SELF ? caller : lookup_locked(dom);
    if (!t)
        return -ESRCH;
    if (t != caller && !caller->privileged)
        return -EPERM;
    *out = t;
    return 0;
}

/* The bucket of `port`, and its group if that is missing too. A group left
 * empty by a failed bucket allocation is freed by a reset or destroy. */
static int alloc_bucket(struct xen_dom *x, uint32_t port)
{
    struct evtchn ***g = &x->groups[port / EVTCHN_GROUP_PORTS];
    if (!*g && !(*g = xzalloc(EVTCHN_GROUP_BUCKETS * sizeof(**g))))
        return -ENOMEM;
    struct evtchn **b = &(*g)[port / EVTCHN_BUCKET_PORTS % EVTCHN_GROUP_BUCKETS];
    if (!(*b = xzalloc(EVTCHN_BUCKET_PORTS * sizeof(**b))))
        return -ENOMEM;
    if (port == 0)
        (*b)[0].state = ECS_RESERVED;
    return 0;
}

/* Lowest free port below the domain's limit for its ABI, allocating its
 * bucket on first use; -ENOSPC when full (Xen's error for the limit too). */
static int get_free_port(struct xen_dom *x, uint32_t *out)
{
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
static struct evtchn *take_port(struct xen_dom *x, uint32_t port, uint8_t state, uint32_t vcpu)
{
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
    x->port_limit = port_limit(x);
    evtchn_abi_changed(x); /* 2-level until the guest sets up FIFO */
    x->free_hint = 0;
    uint32_t zero;
    uint64_t f = spin_lock_irqsave(&evtchn_lock);
    int rc = get_free_port(x, &zero); /* bucket 0, with port 0 reserved */
    if (!rc) {
        x->evtchn_next = registry;
        registry = x;
    }
    spin_unlock_irqrestore(&evtchn_lock, f);
    if (rc)
        free_table(x); /* the caller frees x without evtchn_destroy */
    return rc;
}

/* Undo the binding of a port in use and free it. */
static void unbind_locked(struct xen_dom *x, uint32_t port)
{
    ASSERT_HELD(&evtchn_lock);
    struct evtchn *c = chan(x, port);
    switch (c->state) {
    case ECS_VIRQ:
        for (unsigned int v = 0; v < XEN_DOM_MAX_VCPUS; v++)
            if (c->remote_port < NR_VIRQS && x->virq_port[v][c->remote_port] == port)
                x->virq_port[v][c->remote_port] = 0;
        break;
    case ECS_INTERDOMAIN: {
        /* The peer goes back to unbound, bindable again by the closer. */
        struct evtchn *r = chan(c->remote, c->remote_port);
        r->state = ECS_UNBOUND;
        r->remote = NULL; /* remote_domid shares its bytes */
        r->remote_domid = x->domid;
        break;
    }
    default:
        break;
    }
    free_port(x, port);
}

static int close_locked(struct xen_dom *x, uint32_t port)
{
    ASSERT_HELD(&evtchn_lock);
    if (!port_valid(x, port) || chan(x, port)->state == ECS_FREE ||
        chan(x, port)->state == ECS_RESERVED)
        return -EINVAL;
    unbind_locked(x, port);
    return 0;
}

/* Close every port in use, whatever the ABI's limit now (a backend's port
 * may lie above it after a reset). */
static void close_all_locked(struct xen_dom *x)
{
    ASSERT_HELD(&evtchn_lock);
    for (uint32_t p = evtchn_next_allocated(x, 1); p < EVTCHN_FIFO_NR_CHANNELS;
         p = evtchn_next_allocated(x, p + 1)) {
        struct evtchn *c = chan(x, p);
        if (c->state != ECS_FREE && c->state != ECS_RESERVED)
            unbind_locked(x, p);
    }
}

void evtchn_destroy(struct xen_dom *x)
{
    uint64_t f = spin_lock_irqsave(&evtchn_lock);
    for (struct xen_dom **pp = &registry; *pp; pp = &(*pp)->evtchn_next) {
        if (*pp == x) {
            *pp = x->evtchn_next;
            break;
        }
    }
    close_all_locked(x);
    if (x->fifo)
        evtchn_fifo_free(x);
    spin_unlock_irqrestore(&evtchn_lock, f);
    /* Unregistered and unbound: nobody reaches the table any more. */
    free_table(x);
}

int evtchn_alloc_unbound(struct xen_dom *caller, uint16_t dom, uint16_t remote_dom, uint32_t *port)
{
    struct xen_dom *x;
    uint64_t f = spin_lock_irqsave(&evtchn_lock);
    int rc = target_locked(caller, dom, &x);
    if (!rc)
        rc = get_free_port(x, port);
    if (!rc) {
        /* Xen does not check that remote_dom exists: it may be created later. */
        struct evtchn *c = take_port(x, *port, ECS_UNBOUND, 0);
        c->remote_domid = remote_dom == DOMID_SELF ? caller->domid : remote_dom;
    }
    spin_unlock_irqrestore(&evtchn_lock, f);
    return rc;
}

int evtchn_bind_interdomain(struct xen_dom *ld, uint16_t remote_dom, uint32_t rport,
                            uint32_t *lport)
{
    uint64_t f = spin_lock_irqsave(&evtchn_lock);
    struct xen_dom *rd = remote_dom == DOMID_SELF ? ld : lookup_locked(remote_dom);
    int rc = rd ? get_free_port(ld, lport) : -ESRCH;
    if (rc)
        goto out;
    /* Only an unbound port reserved for us; a second bind finds it bound. */
    if (!port_valid(rd, rport) || chan(rd, rport)->state != ECS_UNBOUND ||
        chan(rd, rport)->remote_domid != ld->domid) {
        rc = -EINVAL;
        goto out;
    }
    struct evtchn *l = take_port(ld, *lport, ECS_INTERDOMAIN, 0);
    struct evtchn *r = chan(rd, rport);
    l->remote = rd;
    l->remote_port = rport;
    r->state = ECS_INTERDOMAIN;
    r->remote = ld;
    r->remote_port = *lport;
    /* The peer may have signalled before we bound: Xen marks the new port
     * pending so no notification is lost. */
    set_pending(ld, *lport);
out:
    spin_unlock_irqrestore(&evtchn_lock, f);
    return rc;
}

int evtchn_bind_virq(struct xen_dom *x, uint32_t virq, uint32_t vcpu, uint32_t *port)
{
    if (virq >= NR_VIRQS || (virq_is_global(virq) && vcpu != 0))
        return -EINVAL;
    if (vcpu >= x->nr_vcpus)
        return -ENOENT;
    uint64_t f = spin_lock_irqsave(&evtchn_lock);
    int rc = x->virq_port[vcpu][virq] ? -EEXIST : get_free_port(x, port);
    if (!rc) {
        struct evtchn *c = take_port(x, *port, ECS_VIRQ, vcpu);
        c->remote_port = virq;
        x->virq_port[vcpu][virq] = *port;
    }
    spin_unlock_irqrestore(&evtchn_lock, f);
    return rc;
}

int evtchn_bind_ipi(struct xen_dom *x, uint32_t vcpu, uint32_t *port)
{
    if (vcpu >= x->nr_vcpus)
        return -ENOENT;
    uint64_t f = spin_lock_irqsave(&evtchn_lock);
    int rc = get_free_port(x, port);
    if (!rc)
        take_port(x, *port, ECS_IPI, vcpu);
    spin_unlock_irqrestore(&evtchn_lock, f);
    return rc;
}

int evtchn_bind_vcpu(struct xen_dom *x, uint32_t port, uint32_t vcpu)
{
    if (vcpu >= x->nr_vcpus)
        return -ENOENT;
    uint64_t f = spin_lock_irqsave(&evtchn_lock);
    int rc = -EINVAL;
    if (port_valid(x, port)) {
        struct evtchn *c = chan(x, port);
        /* Per-vCPU VIRQs and IPIs stay where they were bound. */
        bool movable = c->state == ECS_UNBOUND || c->state == ECS_INTERDOMAIN ||
                       c->state == ECS_XEN ||
                       (c->state == ECS_VIRQ && virq_is_global(c->remote_port));
        if (movable) {
            c->notify_vcpu = (uint8_t)vcpu;
            rc = 0;
        }
    }
    spin_unlock_irqrestore(&evtchn_lock, f);
    return rc;
}

int evtchn_close(struct xen_dom *x, uint32_t port)
{
    uint64_t f = spin_lock_irqsave(&evtchn_lock);
    int rc = close_locked(x, port);
    spin_unlock_irqrestore(&evtchn_lock, f);
    return rc;
}

int evtchn_send(struct xen_dom *x, uint32_t port)
{
    evtchn_xen_notify_fn notify = NULL;
    uint64_t f = spin_lock_irqsave(&evtchn_lock);
    int rc = 0;
    if (!port_valid(x, port)) {
        rc = -EINVAL;
    } else {
        struct evtchn *c = chan(x, port);
        switch (c->state) {
        case ECS_INTERDOMAIN: {
            set_pending(c->remote, c->remote_port);
            break;
        }
        case ECS_IPI:
            set_pending(x, port);
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
    spin_unlock_irqrestore(&evtchn_lock, f);
    /* Outside the lock: the backend may raise events itself. */
    if (notify)
        notify(x->d, port);
    return rc;
}

static const uint32_t status_of[] = {
    [ECS_FREE] = EVTCHNSTAT_closed,     [ECS_RESERVED] = EVTCHNSTAT_closed,
    [ECS_UNBOUND] = EVTCHNSTAT_unbound, [ECS_INTERDOMAIN] = EVTCHNSTAT_interdomain,
    [ECS_VIRQ] = EVTCHNSTAT_virq,       [ECS_IPI] = EVTCHNSTAT_ipi,
    [ECS_XEN] = EVTCHNSTAT_interdomain,
};

int evtchn_status(struct xen_dom *caller, struct evtchn_status *st)
{
    struct xen_dom *x;
    uint64_t f = spin_lock_irqsave(&evtchn_lock);
    int rc = target_locked(caller, st->dom, &x);
    if (!rc && !port_valid(x, st->port))
        rc = -EINVAL;
    if (!rc) {
        const struct evtchn *c = chan(x, st->port);
        memset(&st->u, 0, sizeof(st->u));
        st->status = status_of[c->state];
        st->vcpu = c->notify_vcpu;
        if (c->state == ECS_UNBOUND) {
            st->u.unbound.dom = c->remote_domid;
        } else if (c->state == ECS_INTERDOMAIN) {
            st->u.interdomain.dom = c->remote->domid;
            st->u.interdomain.port = c->remote_port;
        } else if (c->state == ECS_XEN) {
            st->u.interdomain.dom = DOMID_XEN; /* the peer is the hypervisor */
            st->u.interdomain.port = st->port;
        } else if (c->state == ECS_VIRQ) {
            st->u.virq = c->remote_port;
        }
    }
    spin_unlock_irqrestore(&evtchn_lock, f);
    return rc;
}

int evtchn_unmask(struct xen_dom *x, uint32_t port)
{
    uint64_t f = spin_lock_irqsave(&evtchn_lock);
    int rc = port_valid(x, port) ? 0 : -EINVAL;
    if (!rc && x->fifo)
        evtchn_fifo_unmask(x, port);
    else if (!rc)
        evtchn_2l_unmask(x, chan(x, port)->notify_vcpu, port);
    spin_unlock_irqrestore(&evtchn_lock, f);
    return rc;
}

static unsigned int bit_flag(const uint64_t *words, uint32_t port, unsigned int flag)
{
    return __atomic_load_n(&words[port / 64], __ATOMIC_SEQ_CST) & (1ULL << (port % 64)) ? flag : 0;
}

unsigned int evtchn_port_flags(struct xen_dom *x, uint32_t port)
{
    uint64_t f = spin_lock_irqsave(&evtchn_lock);
    unsigned int r = 0;
    if (!port_valid(x, port))
        r = 0;
    else if (x->fifo)
        r = evtchn_fifo_port_flags(x, port);
    else
        r = bit_flag(x->shinfo->evtchn_pending, port, EVTCHN_PORT_PENDING) |
            bit_flag(x->shinfo->evtchn_mask, port, EVTCHN_PORT_MASKED);
    spin_unlock_irqrestore(&evtchn_lock, f);
    return r;
}

/* The bucket holding p (not bucket 0, whose port 0 is reserved): freed if
 * no port in it is in use, and its group with it if that was the last. */
static void free_bucket_if_empty(struct xen_dom *x, uint32_t p)
{
    struct evtchn **b =
        &x->groups[p / EVTCHN_GROUP_PORTS][p / EVTCHN_BUCKET_PORTS % EVTCHN_GROUP_BUCKETS];
    if (bucket_in_use(*b))
        return;
    xfree(*b);
    *b = NULL;
    free_group_if_empty(x, p / EVTCHN_GROUP_PORTS);
}

/* One bucket of a reset, from port p to the bucket's end: close what is in
 * use (hypervisor backends' ports survive), free the bucket if that emptied
 * it. Returns the first port after the bucket; lock held. */
static uint32_t reset_bucket(struct xen_dom *x, uint32_t p)
{
    uint32_t end = (p / EVTCHN_BUCKET_PORTS + 1) * EVTCHN_BUCKET_PORTS;
    for (; p < end; p++) {
        struct evtchn *c = chan(x, p);
        if (c->state != ECS_FREE && c->state != ECS_RESERVED && c->state != ECS_XEN)
            unbind_locked(x, p);
    }
    if (p > EVTCHN_BUCKET_PORTS)
        free_bucket_if_empty(x, p - 1);
    return p;
}

/*
 * Close every port of the target (but backends'), free the buckets that
 * leaves empty and go back to 2-level, as Xen's evtchn_reset: a domain that
 * once used many ports costs only what it still uses. At most
 * EVTCHN_RESET_PORTS ports per call (the lock is held for no longer): where
 * it stopped is kept in the target (Xen's next_evtchn), and the caller's
 * re-issued hypercall goes on from there (EVTCHN_CONTINUE). A port taken
 * meanwhile below that point survives the reset, as on Xen; so does the
 * progress of a reset the caller abandoned (it cannot, short of leaving the
 * HVC it returns to).
 */
int evtchn_reset(struct xen_dom *caller, uint16_t dom)
{
    struct xen_dom *x;
    uint64_t f = spin_lock_irqsave(&evtchn_lock);
    int rc = target_locked(caller, dom, &x);
    uint32_t p = rc ? 0 : evtchn_next_allocated(x, x->reset_next ? x->reset_next : 1);
    for (uint32_t done = 0; !rc && p < EVTCHN_FIFO_NR_CHANNELS; done += EVTCHN_BUCKET_PORTS) {
        if (done >= EVTCHN_RESET_PORTS) {
            x->reset_next = p;
            rc = EVTCHN_CONTINUE;
            break;
        }
        p = evtchn_next_allocated(x, reset_bucket(x, p));
    }
    if (!rc) {
        x->reset_next = 0;
        for (unsigned int g = 1; g < EVTCHN_NR_GROUPS; g++)
            free_group_if_empty(x, g); /* one a failed allocation left */
        /* Xen switches a reset domain back to the 2-level ABI. */
        if (x->fifo)
            evtchn_fifo_free(x);
    }
    spin_unlock_irqrestore(&evtchn_lock, f);
    return rc;
}

int evtchn_xen_port(struct xen_dom *x, evtchn_xen_notify_fn notify, uint32_t *port)
{
    uint64_t f = spin_lock_irqsave(&evtchn_lock);
    int rc = get_free_port(x, port);
    if (!rc)
        take_port(x, *port, ECS_XEN, 0)->xen_notify = notify;
    spin_unlock_irqrestore(&evtchn_lock, f);
    return rc;
}

void evtchn_raise(struct xen_dom *x, uint32_t port)
{
    uint64_t f = spin_lock_irqsave(&evtchn_lock);
    if (port_valid(x, port) && chan(x, port)->state == ECS_XEN)
        set_pending(x, port);
    spin_unlock_irqrestore(&evtchn_lock, f);
}

void evtchn_send_virq(struct xen_dom *x, uint32_t virq, uint32_t vcpu)
{
    if (virq >= NR_VIRQS || vcpu >= XEN_DOM_MAX_VCPUS)
        return;
    uint64_t f = spin_lock_irqsave(&evtchn_lock);
    uint32_t port = x->virq_port[vcpu][virq];
    if (port)
        set_pending(x, port);
    spin_unlock_irqrestore(&evtchn_lock, f);
}

void evtchn_send_global_virq(uint32_t virq)
{
    if (virq >= NR_VIRQS || !virq_is_global(virq))
        return;
    uint64_t f = spin_lock_irqsave(&evtchn_lock);
    /* Looked up under the lock: dom0 cannot be torn down meanwhile. */
    struct xen_dom *x = lookup_locked(0);
    uint32_t port = x ? x->virq_port[0][virq] : 0;
    if (port)
        set_pending(x, port);
    spin_unlock_irqrestore(&evtchn_lock, f);
}
