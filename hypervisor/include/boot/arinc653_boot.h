/*
 * An arinc653 pool's device-tree schedule (include/boot/arinc653_dt.h) put
 * in force once the boot domains are built, each window naming the domain
 * built from its node (by id: dom0less domains all have the zero handle).
 */
#ifndef CLOISON_BOOT_ARINC653_BOOT_H
#define CLOISON_BOOT_ARINC653_BOOT_H

struct cpupool;

/* Pool node `node`'s schedule into p. 1: in force; 0: the node has none
 * (p keeps Xen's default); -1: refused (reported through report). */
int arinc653_dt_install(const void *fdt, int node, struct cpupool *p,
                        void (*report)(const char *msg));

/*
 * TEMPORARY, until the xen,cpupool binding (boot/, the pools branch) calls
 * arinc653_dt_install() for every arinc653 pool: with sched=arinc653,
 * Pool-0 takes the schedule of the one /chosen xen,cpupool node whose
 * cpupool-sched is "arinc653".
 */
void arinc653_boot_pool0(const void *fdt);

#endif
