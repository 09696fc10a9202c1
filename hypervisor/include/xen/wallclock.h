/*
 * The wallclock Xen guests read from shared_info (xen/wallclock.c). As on
 * Xen/ARM there is no RTC driver: the control domain sets it with
 * XENPF_settime64, and until then it counts from 0 (1970). Each domain sees
 * the base plus the whole seconds the host had been up when the domain's
 * virtual counter started, so "base + its own uptime" is the time of day.
 */
#ifndef CLOISON_WALLCLOCK_H
#define CLOISON_WALLCLOCK_H

#include <cloison/types.h>

struct domain;

/* ns -> whole seconds of host uptime at which d's virtual counter read 0. */
uint64_t wallclock_domain_offset_sec(const struct domain *d);
/* Write the current wallclock into d's shared_info (d->xen set). */
void wallclock_update_domain(struct domain *d);
/* XENPF_settime64 from `caller`: secs.nsecs was the time of day when the
 * caller's system time (ns since its counter started) read system_time.
 * Updates every existing domain. */
void wallclock_settime(const struct domain *caller, uint64_t secs, uint32_t nsecs,
                       uint64_t system_time);

#endif
