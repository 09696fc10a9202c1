/*
 * The ARINC 653 schedules of the boot-time pools (include/boot/arinc653_dt.h
 * has the binding: cloison,arinc653-* on the xen,cpupool node). Every pool
 * whose scheduler is arinc653 - named by its node's cpupool-sched, or
 * sched=arinc653 on the command line for a node that names none - takes
 * the schedule its node gives, Pool-0 included.
 *
 * Two steps, because a window names a domain that does not exist yet when
 * the pools are parsed: the pool parser's hook reads and checks each
 * schedule (a bad one stops the boot with the other pool mistakes, before
 * any domain is built); once the boot domains are built, each schedule is
 * put in force with its windows naming the domains by id.
 */
#ifndef CLOISON_BOOT_ARINC653_POOLS_H
#define CLOISON_BOOT_ARINC653_POOLS_H

#include <boot/cpupool_dt.h>

/* A cpupool_dt_sched_hook: the node's schedule, if it has one, into
 * pool->sched_params (heap); false after reporting a mistake. */
bool arinc653_pools_read(const void *fdt, int node, struct cpupool_dt_pool *pool,
                         void (*report)(const char *msg), void *cookie);

/* Every schedule read into t's pools put in force (and its copy freed).
 * The pools exist and the boot domains are built. */
void arinc653_pools_install(const void *fdt, struct cpupool_dt *t);

#endif
