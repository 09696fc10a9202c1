/*
 * libFuzzer: arbitrary bytes as the boot DTB for the boot-time cpupools
 * (boot/cpupool_dt.c). The two bytes after the tree's totalsize, when there,
 * are the host: which of its 8 pCPUs (MPIDRs 0..3, 0x100..0x103) came up,
 * and the boot pCPU. An accepted partition must be one: pools sorted by id
 * 0..n-1, each with a pCPU, none shared, together every online pCPU, the
 * boot pCPU in Pool-0, at most one pool without a node, a schedule only on an
 * arinc653 pool; the domains'
 * references are then checked without fault.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <libfdt.h>
#include <boot/cpupool_dt.h>
#include "fuzz_fdt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool known(const char *name)
{
    return !strcmp(name, "credit2") || !strcmp(name, "null") || !strcmp(name, "arinc653");
}

static bool hook(const void *fdt, int node, struct cpupool_dt_pool *pool,
                 void (*report)(const char *msg), void *cookie)
{
    (void)fdt, (void)node, (void)report;
    pool->sched_params = cookie;
    return true;
}

static void check(const struct cpupool_dt *t, uint64_t online, unsigned int boot)
{
    uint64_t all = 0;
    unsigned int nodeless = 0;
    for (unsigned int i = 0; i < t->nr; i++) {
        const struct cpupool_dt_pool *p = &t->pool[i];
        if (p->id != i || !p->cpus || (p->cpus & all) || (p->cpus & ~online))
            abort();
        if (p->node < 0)
            nodeless++;
        if (p->sched && !known(p->sched))
            abort();
        if (p->sched_params && p->sched && strcmp(p->sched, "arinc653"))
            abort();
        all |= p->cpus;
    }
    if (all != online || nodeless > 1 || !(t->pool[0].cpus & (1ULL << boot)))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint64_t mpidr[8] = {0, 1, 2, 3, 0x100, 0x101, 0x102, 0x103};
    static struct cpupool_dt t;
    void *fdt = fuzz_fdt(data, size);
    if (!fdt)
        return 0;
    size_t total = fdt_totalsize(fdt);
    unsigned int boot = total + 1 < size ? data[total + 1] % 8 : 0;
    uint64_t online = (total < size ? data[total] : 0xff) | (1u << boot);
    /* Bit 3 of the boot byte: sched=arinc653 (a node naming no scheduler
     * then has its schedule read). */
    bool a653 = total + 1 < size && (data[total + 1] & 8);
    struct cpupool_dt_host host = {mpidr, 8, online, boot, known, a653 ? "arinc653" : NULL};
    int n = cpupool_dt_parse(fdt, &host, &t, hook, &t, fuzz_report);
    if (n >= 0 && (n != (int)t.nr || n < 1))
        abort();
    if (n > 0) {
        check(&t, online, boot);
        cpupool_dt_check_domains(fdt, &t, fuzz_report);
        for (unsigned int i = 0; i < t.nr; i++)
            if (t.pool[i].phandle && cpupool_dt_by_phandle(&t, t.pool[i].phandle) != &t.pool[i])
                abort();
    }
    free(fdt);
    return 0;
}
