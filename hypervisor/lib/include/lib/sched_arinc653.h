/*
 * The ARINC 653 policy's schedule (lib/sched_arinc653.c), beyond struct
 * sched_policy: a major frame cut into windows, each naming one vCPU of one
 * domain and how long it runs. Set and read by the toolstack (SYSCTL
 * scheduler_op, Xen's struct xen_sysctl_arinc653_schedule) and by the
 * device tree (boot/), always under the pool's lock.
 */
#ifndef LIB_SCHED_ARINC653_H
#define LIB_SCHED_ARINC653_H

#include <lib/sched_policy.h>

/* Xen's DEFAULT_TIMESLICE: each dom0 vCPU's window when no schedule was set. */
#define ARINC653_DEFAULT_WINDOW_NS 10000000ULL

struct arinc653_schedule {
    uint64_t major_frame; /* ns */
    unsigned int nr_windows;
    struct arinc653_window windows[ARINC653_MAX_WINDOWS];
};

/*
 * Xen's rules (arinc653_sched_set): a major frame above 0, 1 to 64 windows,
 * each runtime above 0, and the runtimes adding up to no more than the
 * major frame. Xen answers -EINVAL to any of these.
 */
bool sched_arinc653_valid(const struct arinc653_schedule *s);
/* Checks s, then puts it in force at once: a new major frame starts now
 * and the pCPU running the schedule is kicked. false (nothing changed) if
 * s is not valid. */
bool sched_arinc653_set(struct sched_pool_state *p, const struct arinc653_schedule *s, uint64_t now,
                        uint64_t *kick);
void sched_arinc653_get(const struct sched_pool_state *p, struct arinc653_schedule *s);
/* The pCPU that runs the pool's schedule (its lowest), SCHED_NO_CPU if none. */
int sched_arinc653_cpu(const struct sched_pool_state *p);

#endif
