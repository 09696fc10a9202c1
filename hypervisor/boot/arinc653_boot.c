/*
 * An arinc653 pool's device-tree schedule put in force once the boot
 * domains exist (include/boot/arinc653_boot.h).
 */
#include <boot/arinc653_boot.h>
#include <boot/arinc653_dt.h>
#include <cloison/printk.h>
#include <core/cpupool.h>
#include <core/domain.h>
#include <libfdt.h>
#include <string.h>

/* No domain has this id: a window naming it stays idle. */
#define NO_DOMID 0xffffU

/* The boot domain built from the node with this phandle: boot domains
 * carry their node's name. */
static uint32_t domid_of(uint32_t phandle, void *ctx)
{
    const void *fdt = ctx;
    const char *name = fdt_get_name(fdt, fdt_node_offset_by_phandle(fdt, phandle), NULL);
    for (struct domain *d = domain_get_next(0); d && name;) {
        uint16_t id = d->id;
        bool hit = strcmp(d->name, name) == 0;
        domain_put(d);
        if (hit)
            return id;
        d = domain_get_next((uint16_t)(id + 1));
    }
    return NO_DOMID;
}

int arinc653_dt_install(const void *fdt, int node, struct cpupool *p,
                        void (*report)(const char *msg))
{
    static struct arinc653_dt dt; /* boot only, one pCPU: no stack for 2.5 KiB */
    static struct arinc653_schedule s;
    int rc = arinc653_dt_parse(fdt, node, &dt, report);
    if (rc <= 0)
        return rc;
    arinc653_dt_schedule(&dt, domid_of, (void *)(uintptr_t)fdt, &s);
    return cpupool_arinc653_put(p, &s) == 0 ? 1 : -1;
}

static void say(const char *msg)
{
    printk("%s", msg);
}

void arinc653_boot_pool0(const void *fdt)
{
    struct cpupool *p0 = cpupool0();
    if (cpupool_policy(p0) != &sched_arinc653)
        return;
    int chosen = fdt_path_offset(fdt, "/chosen"), found = -1, n = 0;
    for (int node = fdt_first_subnode(fdt, chosen); node >= 0; node = fdt_next_subnode(fdt, node)) {
        const char *sched = fdt_getprop(fdt, node, "cpupool-sched", NULL);
        if (fdt_node_check_compatible(fdt, node, "xen,cpupool") == 0 && sched &&
            strcmp(sched, "arinc653") == 0) {
            found = node;
            n++;
        }
    }
    if (n != 1) {
        if (n > 1)
            printk("arinc653: %d arinc653 pool nodes: Pool-0 keeps the default schedule", n);
        return;
    }
    int rc = arinc653_dt_install(fdt, found, p0, say);
    if (rc > 0)
        printk("arinc653: Pool-0 runs the schedule of /chosen/%s", fdt_get_name(fdt, found, NULL));
    else if (rc < 0)
        printk("arinc653: Pool-0 keeps the default schedule");
}
