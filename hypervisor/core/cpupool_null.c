/*
 * What the null pools show (core/cpupool.h): each owned pCPU with its vCPU,
 * and the vCPUs waiting for a pCPU in the order they will get one (Xen's
 * null dump, debug key 'r'). Collected under the pool's lock and printed
 * after it, so the console is never written with a pool locked.
 */
#include <core/cpupool.h>
#include <core/domain.h>
#include <core/vcpu.h>
#include <cloison/printk.h>
#include <lib/printf.h>
#include <lib/sched_null.h>
#include "sched_pool.h"

static size_t add(char *buf, size_t n, size_t size, const char *pre, const struct sched_item *it)
{
    const struct vcpu *v = (const struct vcpu *)((uintptr_t)it - offsetof(struct vcpu, item));
    if (n + 24 >= size)
        return n; /* the line is full: the rest is left out */
    return n + (size_t)snprintf(buf + n, size - n, "%sd%uv%u", pre, v->domain->id, v->id);
}

static void dump_pool(struct cpupool *p)
{
    char owners[200] = "", waiting[200] = "";
    size_t no = 0, nw = 0;
    unsigned int nr_waiting = 0;
    uint64_t f = spin_lock_irqsave(&p->lock);
    for (unsigned int c = 0; c < SCHED_MAX_CPUS; c++) {
        const struct sched_item *it = sched_null_owner(&p->st, c);
        if (it) {
            char pre[16];
            snprintf(pre, sizeof(pre), " pCPU%u=", c);
            no = add(owners, no, sizeof(owners), pre, it);
        }
    }
    for (const struct sched_item *it = sched_null_first_waiting(&p->st); it;
         it = sched_null_next_waiting(it)) {
        nw = add(waiting, nw, sizeof(waiting), " ", it);
        nr_waiting++;
    }
    spin_unlock_irqrestore(&p->lock, f);
    printk("Pool-%u (null): owners%s; %u waiting for a pCPU:%s", p->id, no ? owners : " none",
           nr_waiting, nr_waiting ? waiting : " none");
}

void cpupool_dump_null(void)
{
    spin_lock(&pools_lock);
    for (unsigned int i = 0; i < CPUPOOL_MAX; i++)
        if (cpupools[i].used && cpupools[i].pol == &sched_null)
            dump_pool(&cpupools[i]);
    spin_unlock(&pools_lock);
}
