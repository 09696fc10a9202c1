/*
 * A domain's boot description, parsed from the host device tree (Xen's
 * dom0less binding: /chosen children compatible "xen,domain").
 * Pure data: produced by boot/dom0less.c, consumed by core/domain.c.
 */
#ifndef CLOISON_DOMAIN_CFG_H
#define CLOISON_DOMAIN_CFG_H

#include <cloison/types.h>

#define DOMCFG_NAME_LEN 32 /* == DOMAIN_NAME_LEN */
#define DOMCFG_BOOTARGS_LEN 512
/* == DOMAIN_MAX_VCPUS (core/domain.h); kept here so the parser and its host
 * tests need none of domain.h's dependencies. domain.c should assert equality. */
#define DOMCFG_MAX_VCPUS 8
/* Memory limits for "memory" (KiB, a multiple of 4). The floor is a sanity
 * bound (whether the kernel, its ramdisk and its DTB fit is the loader's
 * question: boot/domain_build.c); the ceiling too (the host's free memory
 * is the real one): 3 GiB go to guest RAM bank 0 at 0x40000000, the rest to
 * bank 1 at 0x200000000, as on Xen. */
#define DOMCFG_MIN_MEMORY_KIB 128ULL
#define DOMCFG_MAX_MEMORY_KIB (256ULL * 1024 * 1024)
/* Most event-channel ports a domain may be given: the FIFO ABI's 2^17
 * (== EVTCHN_FIFO_NR_CHANNELS, checked in xen/evtchn_cfg.c). */
#define DOMCFG_MAX_EVENT_CHANNELS 131072u

/* Xen's "xen,enhanced": absent or "disabled" = plain VM; present without a
 * value or "enabled" = Xen interface with xenstore; "no-xenstore" = without. */
enum xen_enhanced { XEN_ENHANCED_NONE, XEN_ENHANCED_ENABLED, XEN_ENHANCED_NO_XENSTORE };

/* What happens when a domain shuts down for a given reason (xl.cfg's
 * on_poweroff / on_reboot / on_crash, which Cloison also reads from dom0less
 * nodes as an extension of Xen's binding). */
enum domain_action {
    ACTION_DESTROY,  /* free everything (default for poweroff and crash) */
    ACTION_RESTART,  /* destroy, then build it again from this description */
    ACTION_PRESERVE, /* keep it (memory, console log) for inspection, not running */
};

struct boot_module {
    paddr_t start; /* host physical address of the image */
    uint64_t size; /* bytes; 0 = absent */
    int node;      /* offset of its node in the boot tree, for messages */
};

struct domain_cfg {
    char name[DOMCFG_NAME_LEN]; /* DT node name, e.g. "domU1" */
    uint64_t memory_kib;        /* "memory": multiple of 4, within the limits above */
    uint32_t vcpus;             /* "cpus": 1..DOMCFG_MAX_VCPUS */
    bool vpl011;                /* "vpl011" present */
    enum xen_enhanced enhanced;
    struct boot_module kernel;  /* multiboot,kernel (size > 0) */
    struct boot_module ramdisk; /* multiboot,ramdisk (optional) */
    /* "bootargs" of the first module child that has one (normally the kernel),
     * as Xen does; "" if none. */
    char bootargs[DOMCFG_BOOTARGS_LEN];
    /* "on_poweroff", "on_reboot", "on_crash" = "destroy" | "restart" |
     * "preserve" (Cloison extension; Xen's dom0less nodes have no such
     * property). Default: destroy for all three, which is what Xen does for
     * a dom0less domain when no toolstack handles its shutdown. */
    enum domain_action on_poweroff, on_reboot, on_crash;
    /* "cloison,event-channels" (Cloison extension, as xl.cfg's event_channels):
     * how many ports the domain may use, 1..DOMCFG_MAX_EVENT_CHANNELS (ports
     * 0..N-1; above 4096 only with the FIFO ABI). 0 = not given: a domU gets
     * 4096 (the whole 2-level space), dom0 the FIFO maximum. */
    uint32_t event_channels;
    /* "xen,domain-p2m-mem-mb" (Xen's binding): the size of the domain's P2M
     * pool, its stage-2 tables, in MiB; 0 = not given: what its layout
     * needs plus headroom for run-time mappings (core/domain_p2m.c). */
    uint32_t p2m_mem_mb;
    /* "cloison,sched-weight" = <1..65535> and "cloison,sched-cap" = <0..100 x
     * cpus> (Cloison extension, as xl sched-credit2 -w/-c: a domain without
     * a toolstack can still be weighed and capped): its credit2 weight
     * (0 = not given: 256) and cap in % of one pCPU (0 = none). */
    uint16_t sched_weight, sched_cap;
    /* dom0: the control domain, built from /chosen's own modules, RAM
     * direct-mapped, device tree derived from the host's. */
    bool is_dom0;
    /* Built at run time by the control domain's toolstack (DOMCTL
     * createdomain), not from the boot tree: created paused with no RAM (the
     * toolstack populates it, loads the kernel through foreign mappings and
     * sets vCPU 0's registers), console and xenstore served from dom0, and a
     * shut-down domain waits for the toolstack's destroydomain (xl acts on
     * on_poweroff/on_reboot/on_crash itself). No kernel module. */
    bool toolstack;
    /* toolstack: the domain id asked for, 0 = the next one from the rover. */
    uint16_t domid;
    /* Interrupt lines beyond the 32 private ones the vGIC offers, rounded up
     * to a multiple of 32; 0 = the default 32 (createdomain's nr_spis). */
    uint32_t nr_spis;
    /* The CPU pool it runs in (Xen's createdomain cpupool_id; for a boot
     * domain, the pool its "domain-cpupool" names, boot/cpupool_dt.c).
     * 0 = Pool-0. */
    uint32_t cpupool_id;
    /* "domain-cpupool": the phandle of a /chosen xen,cpupool node as the
     * tree gives it, 0 = none (boot/setup.c turns it into cpupool_id). */
    uint32_t cpupool_phandle;
};

/*
 * Walk every /chosen node compatible "xen,domain" in tree order, parsing each
 * into *scratch: fn(ctx, scratch) is called for each valid one (a non-zero
 * return stops the walk and is returned). A domain with a bad or missing
 * property is reported through report(msg) ("dom0less: /chosen/<node>: ...",
 * naming the property) and skipped, the others are still parsed. Things Xen
 * accepts but Cloison ignores (e.g. multiboot,device-tree) are reported as
 * warnings and do not skip the domain. There is no limit on the number of
 * domains: each is handed over, never stored here.
 * Returns the number of valid domains (>= 0), or a negative libfdt error if
 * the tree itself is unusable (bad header). A tree without /chosen has no
 * domains. report may be NULL.
 */
int dom0less_for_each(const void *fdt, struct domain_cfg *scratch,
                      int (*fn)(void *ctx, struct domain_cfg *cfg), void *ctx,
                      void (*report)(const char *msg));

/*
 * The same into out[0..n-1]: valid domains beyond max are reported ("too many
 * domains") and skipped. Returns n, or a negative libfdt error.
 */
int dom0less_parse(const void *fdt, struct domain_cfg *out, int max,
                   void (*report)(const char *msg));

/*
 * The hypervisor command line, following Xen's booting.txt:
 * /chosen/xen,xen-bootargs if present; otherwise /chosen/bootargs when
 * /chosen/xen,dom0-bootargs exists or the dom0 kernel module carries a
 * non-empty bootargs of its own (so the top-level one is not dom0's);
 * otherwise NULL (bootargs belongs to dom0). A property that is not a
 * NUL-terminated string counts as absent.
 */
const char *dom0less_hv_bootargs(const void *fdt);

/*
 * dom0's boot description: the kernel module among /chosen's direct children
 * (Xen's rules), its ramdisk, and its command line (xen,dom0-bootargs, else
 * the kernel module's bootargs, else /chosen/bootargs when the hypervisor has
 * its own xen,xen-bootargs). Memory and vCPUs come from dom0_mem= and
 * dom0_max_vcpus=, filled by the caller. Returns 1 if there is a dom0, 0 if
 * not, -1 after reporting a malformed module.
 */
int dom0_parse(const void *fdt, struct domain_cfg *cfg, void (*report)(const char *msg));

#endif
