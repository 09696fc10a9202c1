/*
 * Boot-time CPU pools from the host device tree, Xen 4.17's binding
 * (docs/misc/arm/device-tree/cpupools.txt):
 *
 *   cpus { a: cpu@0 { device_type = "cpu"; reg = <0>; }; b: cpu@1 {...}; };
 *   chosen {
 *       pool1 { compatible = "xen,cpupool";
 *               cpupool-cpus = <&a &b>;      phandles of /cpus nodes, not empty
 *               cpupool-sched = "null"; };   optional: Xen's scheduler name
 *       domU1 { compatible = "xen,domain"; domain-cpupool = <&pool1>; ... };
 *   };
 *
 * Ids as Xen gives them: the pool nodes in tree order are 0, 1, ...; if
 * online pCPUs are left over they form one more pool (the next id, default
 * scheduler); then the pool holding the boot pCPU swaps ids with pool 0, so
 * the boot pCPU is always in Pool-0. Without pool nodes there is one pool, 0,
 * of every online pCPU.
 *
 * Pure logic on the flattened tree (host-tested, tests/unit/test_cpupool_dt.c):
 * the pCPUs and the scheduler names come in through cpupool_dt_host. Every
 * mistake is reported naming the node ("cpupool: /chosen/pool1: ..."), and
 * all of them are reported before the answer: Xen panics at the first; the
 * caller (boot/setup.c) stops the boot cleanly.
 */
#ifndef CLOISON_BOOT_CPUPOOL_DT_H
#define CLOISON_BOOT_CPUPOOL_DT_H

#include <cloison/types.h>

#define CPUPOOL_DT_MAX_CPUS 64 /* pCPU masks are uint64_t (lib/sched_policy.h) */
/* Each pool holds a pCPU of its own, plus the pool of the leftovers. */
#define CPUPOOL_DT_MAX_POOLS (CPUPOOL_DT_MAX_CPUS + 1)

/* The host as the parser needs it. */
struct cpupool_dt_host {
    const uint64_t *mpidr; /* pCPU i's MPIDR affinity (Xen's cpu_physical_id) */
    unsigned int nr_cpus;  /* pCPUs 0..nr_cpus-1 (<= CPUPOOL_DT_MAX_CPUS) */
    uint64_t online;       /* those that came up */
    unsigned int boot_cpu; /* its pool becomes Pool-0 */
    /* Is this one of Cloison's schedulers (Xen's names)? */
    bool (*sched_known)(const char *name);
    /* The scheduler of a pool node without cpupool-sched (sched= on the
     * command line, or credit2); NULL: credit2. */
    const char *default_sched;
};

/* The ARINC 653 schedule of a pool node (boot/arinc653_pools.c reads the
 * cloison,arinc653-* properties through it): called for every pool node
 * whose scheduler is arinc653 (named by cpupool-sched, or the default),
 * after the node's own checks; returns false
 * after reporting what is wrong, which refuses the pools like any other
 * mistake. `cookie` is handed back to the caller untouched (where the
 * parsed schedule goes). NULL: no such properties read. */
struct cpupool_dt_pool;
typedef bool cpupool_dt_sched_hook(const void *fdt, int node, struct cpupool_dt_pool *pool,
                                   void (*report)(const char *msg), void *cookie);

struct cpupool_dt_pool {
    uint32_t id;        /* Xen's pool id */
    int node;           /* its /chosen child, -1 for the pool of leftover pCPUs */
    uint32_t phandle;   /* the node's phandle (what domain-cpupool names), 0 if none */
    uint64_t cpus;      /* bit i: pCPU i */
    const char *sched;  /* cpupool-sched (in the tree), NULL = the default */
    void *sched_params; /* set by the schedule hook, NULL otherwise */
};

struct cpupool_dt {
    unsigned int nr; /* >= 1 after a successful parse; pool[0] has id 0 */
    struct cpupool_dt_pool pool[CPUPOOL_DT_MAX_POOLS];
};

/*
 * Read /chosen's xen,cpupool nodes into *out, pools sorted by id. Refused
 * (each reason reported, naming the node): cpupool-cpus missing, empty or not
 * whole cells; a phandle that names no node, or a node that is not a cpu of
 * /cpus (device_type "cpu"), or has no usable reg; a cpu no pCPU has (not
 * brought up, or past nr_cpus), or one that is offline; a cpu in two pools;
 * cpupool-sched not a string or not a scheduler Cloison has; a hook refusal;
 * cloison,arinc653-* properties on a pool whose scheduler is not arinc653
 * (the operator meant a schedule that would never be in force).
 * Returns the number of pools (>= 1), -1 if refused, or a negative libfdt
 * error for an unusable tree.
 */
int cpupool_dt_parse(const void *fdt, const struct cpupool_dt_host *host, struct cpupool_dt *out,
                     cpupool_dt_sched_hook *hook, void *cookie, void (*report)(const char *msg));

/*
 * Check every /chosen xen,domain node's domain-cpupool (one cell, a phandle
 * of one of t's pool nodes); all are reported. 0, or -1 if any is refused.
 * Done before any domain is built, so a bad reference stops the boot with no
 * domain started.
 */
int cpupool_dt_check_domains(const void *fdt, const struct cpupool_dt *t,
                             void (*report)(const char *msg));

/*
 * The cpupool-sched of the pool node that lists the boot pCPU (a cpu node of
 * /cpus whose reg is boot_mpidr): Pool-0's scheduler, wanted before any
 * other pCPU is up (so before cpupool_dt_parse can run). NULL if no node
 * lists it, or the node names none or no string; nothing else is checked.
 */
const char *cpupool_dt_boot_sched(const void *fdt, uint64_t boot_mpidr);

/* The pool whose node has this phandle, NULL if none (phandle 0: NULL). */
const struct cpupool_dt_pool *cpupool_dt_by_phandle(const struct cpupool_dt *t, uint32_t phandle);

#endif
