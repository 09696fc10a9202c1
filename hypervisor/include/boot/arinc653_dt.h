/*
 * An ARINC 653 pool's schedule in the device tree: a Cloison extension
 * (Xen 4.17 has no device-tree form of it; its schedule comes only from the
 * toolstack, SYSCTL scheduler_op). On a /chosen xen,cpupool node whose
 * cpupool-sched is "arinc653":
 *
 *   pool1: pool1 {
 *       compatible = "xen,cpupool";
 *       cpupool-cpus = <&cpu2>;
 *       cpupool-sched = "arinc653";
 *       cloison,arinc653-major-frame-us = <10000>;            one cell, > 0
 *       cloison,arinc653-schedule = <&domU1 0 2000>,           windows in order:
 *                                   <&domU2 0 3000>;           <domain vcpu runtime-us>
 *   };
 *   domU1: domU1 { compatible = "xen,domain"; cpus = <1>; domain-cpupool = <&pool1>; ... };
 *
 * Each window names a xen,domain node by phandle, one of its vCPUs (below
 * its `cpus`, default 1) and a runtime in microseconds (> 0). The domain
 * must be in this pool (its domain-cpupool names this node). At most 64
 * windows; their runtimes add up to no more than the major frame (Xen's
 * rules for a schedule). Both properties or neither: without them the pool
 * starts with Xen's default (dom0's vCPUs 10 ms each; no window for any
 * other domain, which therefore never runs until the toolstack sets one).
 *
 * Pure logic on the flattened tree, host-tested (tests/unit/test_arinc653_dt.c);
 * the pool parser (boot/) calls it for each arinc653 pool node.
 */
#ifndef CLOISON_BOOT_ARINC653_DT_H
#define CLOISON_BOOT_ARINC653_DT_H

#include <cloison/types.h>
#include <lib/sched_arinc653.h>

#define ARINC653_DT_SCHEDULE "cloison,arinc653-schedule"
#define ARINC653_DT_MAJOR_FRAME "cloison,arinc653-major-frame-us"

struct arinc653_dt_window {
    uint32_t dom_phandle; /* a /chosen xen,domain node */
    uint32_t vcpu;
    uint64_t runtime_ns;
};

struct arinc653_dt {
    uint64_t major_frame_ns;
    unsigned int nr_windows;
    struct arinc653_dt_window windows[ARINC653_MAX_WINDOWS];
};

/*
 * Read pool node `node`'s schedule into *out. 1: read; 0: neither property
 * (the default schedule); -1: refused, every mistake reported naming the
 * node ("arinc653: /chosen/pool1: ..."): one property without the other;
 * the major frame not one cell or 0; the schedule empty, not whole
 * triples, or over 64 windows; a phandle naming no xen,domain node under
 * /chosen, or a domain not in this pool; a vCPU the domain does not have;
 * a runtime of 0; runtimes adding up past the major frame.
 */
int arinc653_dt_parse(const void *fdt, int node, struct arinc653_dt *out,
                      void (*report)(const char *msg));

/*
 * The schedule to put in force once the domains are built: each window
 * names its domain by the id domid_of() gives for its node's phandle (the
 * domain built from it), because dom0less domains all have the zero handle.
 */
void arinc653_dt_schedule(const struct arinc653_dt *dt,
                          uint32_t (*domid_of)(uint32_t phandle, void *ctx), void *ctx,
                          struct arinc653_schedule *out);

#endif
