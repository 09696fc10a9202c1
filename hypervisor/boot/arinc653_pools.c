/*
 * The boot-time pools' ARINC 653 schedules (include/boot/arinc653_pools.h).
 */
#include <boot/arinc653_dt.h>
#include <boot/arinc653_pools.h>
#include <cloison/mm.h>
#include <cloison/printk.h>
#include <core/cpupool.h>
#include <core/domain.h>
#include <libfdt.h>
#include <string.h>

/* No domain has this id: a window naming it stays idle. */
#define NO_DOMID 0xffffU

bool arinc653_pools_read(const void *fdt, int node, struct cpupool_dt_pool *pool,
                         void (*report)(const char *msg), void *cookie)
{
    (void)cookie;
    /* One pCPU walks the tree at boot; 2.5 KiB is too much for its stack. */
    static struct arinc653_dt dt;
    int rc = arinc653_dt_parse(fdt, node, &dt, report);
    if (rc <= 0)
        return rc == 0;
    struct arinc653_dt *copy = xmalloc(sizeof(*copy));
    if (!copy) {
        report("arinc653: no memory for a pool's schedule");
        return false;
    }
    memcpy(copy, &dt, sizeof(*copy));
    pool->sched_params = copy;
    return true;
}

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

void arinc653_pools_install(const void *fdt, struct cpupool_dt *t)
{
    static struct arinc653_schedule s; /* boot only, one pCPU */
    for (unsigned int i = 0; i < t->nr; i++) {
        struct cpupool_dt_pool *bp = &t->pool[i];
        struct arinc653_dt *dt = bp->sched_params;
        if (!dt)
            continue;
        arinc653_dt_schedule(dt, domid_of, (void *)(uintptr_t)fdt, &s);
        struct cpupool *p = cpupool_by_id(bp->id);
        const char *node = fdt_get_name(fdt, bp->node, NULL);
        /* The parse checked Xen's rules, and the pool was made arinc653. */
        if (p && cpupool_arinc653_put(p, &s) == 0)
            printk("arinc653: Pool-%u runs the schedule of /chosen/%s", bp->id, node);
        else
            printk("arinc653: Pool-%u keeps the default schedule (/chosen/%s refused)", bp->id,
                   node);
        xfree(dt);
        bp->sched_params = NULL;
    }
}
