/*
 * Debug keys, typed while Cloison has the console input focus. Read-only
 * dumps that take no lock a guest could hold for long; reads of other pCPUs'
 * scheduling fields are racy snapshots, which is fine for a dump.
 */
#include <core/domain.h>
#include <cloison/mm.h>
#include <cloison/percpu.h>
#include <cloison/printk.h>
#include <core/timer.h>
#include <core/vcpu.h>

#include "console_keys.h"

static const char *const vcpu_states[] = {"off", "runnable", "blocked", "dead"};

static uint64_t ticks_ms(uint64_t ticks)
{
    uint64_t f = timer_freq();
    return f ? ticks * 1000 / f : 0;
}

static void key_help(void);

static void dump_domain(struct domain *d)
{
    printk("d%u (%s): %u vCPU%s, %lu MiB", d->id, d->name, d->nr_vcpus, d->nr_vcpus == 1 ? "" : "s",
           d->ram_size >> 20);
    for (unsigned int i = 0; i < d->nr_vcpus; i++) {
        const struct vcpu *v = d->vcpus[i];
        unsigned int st = v->state;
        printk("  d%uv%u: %s on pCPU%u, runtime %lu ms, %lu traps", d->id, i,
               st < ARRAY_SIZE(vcpu_states) ? vcpu_states[st] : "?", v->pcpu, ticks_ms(v->runtime),
               v->nr_traps);
    }
}

static void key_domains(void)
{
    printk("%u domain%s; those with console input:", domain_count(),
           domain_count() == 1 ? "" : "s");
    console_input_for_each(dump_domain);
}

static void key_runqueues(void)
{
    for (unsigned int i = 0; i < nr_pcpus; i++) {
        const struct pcpu *p = &pcpus[i];
        const struct vcpu *cur = __atomic_load_n(&p->current, __ATOMIC_RELAXED);
        if (!p->online)
            continue;
        if (cur)
            printk("pCPU%u: running d%uv%u, %u vCPUs assigned", i, cur->domain->id, cur->id,
                   p->nr_vcpus);
        else
            printk("pCPU%u: idle, %u vCPUs assigned", i, p->nr_vcpus);
    }
}

static void key_memory(void)
{
    printk("memory: %lu KiB total, %lu KiB free", (uint64_t)mm_total_pages() * 4,
           (uint64_t)mm_free_pages() * 4);
}

static const struct {
    char key;
    void (*fn)(void);
    const char *what;
} keys[] = {
    {'h', key_help, "this help"},
    {'q', key_domains, "domains and their vCPUs"},
    {'r', key_runqueues, "pCPUs and what they run"},
    {'m', key_memory, "free memory"},
};

static void key_help(void)
{
    for (size_t i = 0; i < ARRAY_SIZE(keys); i++)
        printk("'%c': %s", keys[i].key, keys[i].what);
    printk("Ctrl-a three times: switch console input");
}

void console_debug_key(char c)
{
    for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
        if (keys[i].key == c) {
            keys[i].fn();
            return;
        }
    }
}
