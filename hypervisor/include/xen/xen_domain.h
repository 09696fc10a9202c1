/*
 * Per-domain state of the Xen guest ABI (only for domains with the Xen
 * interface: d->xen != NULL): the shared_info page, where each vCPU's
 * vcpu_info lives, HVM params, the runstate areas and the event-channel port
 * table (xen/evtchn.c). xen/xen_domain.c creates and frees it and holds the
 * hypervisor-side glue (p2m, vGIC); evtchn*.c only uses this structure, so it
 * builds and runs in host unit tests.
 */
#ifndef CLOISON_XEN_DOMAIN_H
#define CLOISON_XEN_DOMAIN_H

#include <cloison/types.h>
#include <cloison/spinlock.h>
#include <public/arch-arm.h>
#include <public/event_channel.h>
#include <public/hvm/params.h>

#define XEN_DOM_MAX_VCPUS 8 /* == DOMAIN_MAX_VCPUS (checked in xen_domain.c) */
/* The port table has two levels, both allocated when a port in them is first
 * used: buckets of 64 ports, and groups of 64 bucket pointers. One group spans
 * the whole 2-level ABI (4096 ports); 32 of them the FIFO ABI's 2^17. So a
 * domain with a few ports holds one group (512 B) and one bucket (1 KiB). */
#define EVTCHN_BUCKET_PORTS 64
#define EVTCHN_GROUP_BUCKETS 64
#define EVTCHN_GROUP_PORTS (EVTCHN_BUCKET_PORTS * EVTCHN_GROUP_BUCKETS)
#define EVTCHN_NR_GROUPS (EVTCHN_FIFO_NR_CHANNELS / EVTCHN_GROUP_PORTS)
/* Ports of a domU whose boot description sets no limit: the 2-level ABI's
 * whole space, in either ABI (Xen 4.17 gives a dom0less domU 1024). */
#define EVTCHN_DEFAULT_PORTS EVTCHN_2L_NR_CHANNELS
#define GFN_INVALID (~0ULL)

struct domain;
struct evtchn;
struct evtchn_fifo;

struct xen_vcpu {
    struct vcpu_info *vi; /* registered vcpu_info (hypervisor VA), NULL = default */
    uint64_t vi_gfn;      /* GFN of the registered page */
    uint64_t runstate_va; /* guest VA of its vcpu_runstate_info, 0 = none */
    bool upcall_line;     /* level last given to the vGIC for the upcall PPI */
};

struct xen_dom {
    struct domain *d; /* owner; opaque to evtchn*.c */
    uint16_t domid;
    bool privileged;
    unsigned int nr_vcpus;
    struct shared_info *shinfo; /* Cloison-owned page, zeroed at creation */
    uint64_t shinfo_gfn;        /* where the guest mapped it, GFN_INVALID = nowhere */
    struct vcpu_info dummy_vi;  /* vCPUs >= 1 before they register: events go nowhere */
    struct xen_vcpu vcpu[XEN_DOM_MAX_VCPUS];
    uint64_t hvm_params[HVM_NR_PARAMS];
    bool vmasst_runstate_flag;
    /* Changes to what the domain's GFNs hold that check and then change
     * (the balloon: released_pages with the pages themselves;
     * remove_from_physmap; shinfo_gfn; registering a vcpu_info; foreign
     * maps into it): several vCPUs may ask at once. */
    spinlock_t mem_lock;
    uint64_t released_pages; /* RAM pages given back (decrease), not yet repopulated */
    uint64_t max_mapped_gfn; /* highest GFN ever mapped (XENMEM_maximum_gpfn) */

    /* Event channels, see EVTCHN_BUCKET_PORTS; locks in xen/evtchn.h. */
    spinlock_t evtchn_lock;   /* the bindings: taken by whoever changes or follows one */
    spinlock_t pending_lock;  /* delivery into this domain: FIFO tails, event words */
    unsigned int evtchn_pins; /* atomic: pCPUs keeping it allocated between two locks */
    bool evtchn_dead;         /* being destroyed: no new binding (evtchn_lock) */
    /* The table: written holding both locks, read holding either
     * (reset_next: evtchn_lock alone). */
    struct evtchn **groups[EVTCHN_NR_GROUPS];
    uint32_t port_limit; /* ports the domain may use: dom0 2^17, else configured */
    uint32_t max_ports;  /* valid ports now: port_limit, capped at 4096 while 2-level */
    uint32_t free_hint;  /* no free port below this one */
    uint32_t ports_used; /* allocated ports (port 0 excluded) */
    uint32_t reset_next; /* where an EVTCHNOP_reset in progress goes on, 0 = none */
    uint32_t virq_port[XEN_DOM_MAX_VCPUS][NR_VIRQS];
    struct evtchn_fifo *fifo; /* FIFO ABI state (evtchn_fifo.c), NULL = 2-level */
};

/* Parts of the domain part xen/xen_part.c. */
int xen_domain_init(struct domain *d);
void xen_domain_destroy(struct domain *d);

struct vcpu;
/* One line for the 'q' debug key (a domain part's dump_vcpu): v's upcall
 * flag, the line Cloison last gave the vGIC, its selector word. */
void xen_vcpu_dump(struct vcpu *v);
/* Before entering a guest vCPU on its own pCPU (sched.c, after switch_to, before
 * vgic_flush): the upcall PPI follows evtchn_upcall_pending (level), and the
 * runstate area is refreshed when the vCPU has just been switched in. */
void xen_vcpu_before_entry(struct vcpu *v);
/* Rewrite v's runstate area now (v must be current on this pCPU, context live). */
void xen_runstate_update(struct vcpu *v);

/* HVM params filled by hypervisor-side backends (PV console: 17/18). */
int xen_set_hvm_param(struct domain *d, unsigned int index, uint64_t value);

/* Assert the upcall interrupt on vCPU `vcpu` of x (any pCPU). */
void xen_upcall_raise(struct xen_dom *x, unsigned int vcpu);

/* vcpu_info that receives vCPU `vcpu`'s events right now. */
static inline struct vcpu_info *xen_vcpu_info(struct xen_dom *x, unsigned int vcpu)
{
    if (vcpu < XEN_DOM_MAX_VCPUS && x->vcpu[vcpu].vi)
        return x->vcpu[vcpu].vi;
    if (vcpu < XEN_LEGACY_MAX_VCPUS)
        return &x->shinfo->vcpu_info[vcpu];
    return &x->dummy_vi;
}

#endif
