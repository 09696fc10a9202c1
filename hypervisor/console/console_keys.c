/*
 * Debug keys, typed while Cloison has the console input focus. Read-only
 * dumps that take no lock a guest could hold for long; reads of other pCPUs'
 * scheduling fields are racy snapshots, which is fine for a dump.
 */
#include <cloison/arch.h>
#include <core/cpupool.h>
#include <core/domain.h>
#include <core/footprint.h>
#include <core/stretch.h>
#include <cloison/mm.h>
#include <cloison/percpu.h>
#include <cloison/p2m.h>
#include <cloison/printk.h>
#include <core/timer.h>
#include <core/vcpu.h>
#include <lib/printf.h>

#include <console/console.h>

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
        struct vcpu *v = d->vcpus[i];
        unsigned int st = v->state;
        printk("  d%uv%u: %s on pCPU%u, runtime %lu ms, %lu traps, %lu stage-2 retries", d->id, i,
               st < ARRAY_SIZE(vcpu_states) ? vcpu_states[st] : "?", v->pcpu, ticks_ms(v->runtime),
               v->nr_traps, v->nr_s2_retries);
        domain_parts_dump_vcpu(v); /* its interrupts, its upcall: what it may wait for */
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
        const struct cpupool *pool = __atomic_load_n(&p->pool, __ATOMIC_RELAXED);
        char where[24];
        if (pool)
            snprintf(where, sizeof(where), "Pool-%u", cpupool_id(pool));
        else
            snprintf(where, sizeof(where), "no pool");
        uint64_t ends = __atomic_load_n(&p->slice_ends, __ATOMIC_RELAXED);
        if (cur)
            printk("pCPU%u (%s): running d%uv%u, %lu slice ends", i, where, cur->domain->id,
                   cur->id, ends);
        else
            printk("pCPU%u (%s): idle, %lu slice ends", i, where, ends);
    }
    cpupool_dump_null();
}

static uint64_t ticks_ns(uint64_t ticks)
{
    uint64_t f = timer_freq();
    return f ? ticks * 1000000000ULL / f : 0;
}

static void key_memory(void)
{
    struct mm_usage u;
    mm_usage(&u);
    printk("memory: %lu KiB total, %lu KiB free, heap %lu B in %lu pages",
           (uint64_t)mm_total_pages() * 4, (uint64_t)u.free_pages * 4, (uint64_t)u.heap_bytes,
           (uint64_t)u.heap_pages);
    footprint_print_last();
    /* With the counter's time, so two presses give a rate (bench/scale.py). */
    printk("VMIDs: %u bits, %lu rollovers at %lu ms, %u domains", p2m_vmid_bits(),
           p2m_vmid_rollovers(), ticks_ns(arch_counter()) / 1000000, domain_count());
}

static void print_stretch(const char *what, unsigned int cls, const struct stretch_stat *st)
{
    const char *name = stretch_class_name(cls);
    char dom[8] = "-";
    if (st->domid != STRETCH_NO_DOMAIN)
        snprintf(dom, sizeof(dom), "d%u", st->domid);
    printk("el2-stretch %s class=%s max_ns=%lu max_ticks=%lu count=%lu cpu=%u dom=%s", what,
           name ? name : "?", ticks_ns(st->max_ticks), st->max_ticks, st->count, st->cpu, dom);
}

/* The longest EL2 stretch of each class seen, one machine-readable line each
 * (tests parse them), then the worst of all. */
static void key_stretches(void)
{
    struct stretch_stat st, worst = {0};
    unsigned int worst_cls = 0, n = 0;
    for (unsigned int c = 0; c < STRETCH_CLASSES; c++) {
        stretch_read(c, &st);
        if (!st.count)
            continue;
        print_stretch("class", c, &st);
        n++;
        if (st.max_ticks > worst.max_ticks) {
            worst = st;
            worst_cls = c;
        }
    }
    if (n)
        print_stretch("worst", worst_cls, &worst);
    printk("el2-stretch end classes=%u", n);
}

static void key_stretch_reset(void)
{
    stretch_reset();
    printk("el2-stretch reset");
}

static const struct {
    char key;
    void (*fn)(void);
    const char *what;
} keys[] = {
    {'h', key_help, "this help"},
    {'q', key_domains, "domains and their vCPUs"},
    {'r', key_runqueues, "pCPUs and what they run"},
    {'m', key_memory, "free memory; what the last domain created took, by step"},
    {'s', key_stretches, "longest EL2 stretches with IRQs masked, per trap class"},
    {'S', key_stretch_reset, "reset the EL2 stretch records"},
};

/* Keys of the layers above (console_register_key), set once at boot. */
static struct {
    char key;
    void (*fn)(void);
    const char *what;
} extra[CONSOLE_EXTRA_KEYS];
static unsigned int nr_extra;

void console_register_key(char key, void (*fn)(void), const char *what)
{
    if (nr_extra == CONSOLE_EXTRA_KEYS)
        panic("more than %d extra debug keys", CONSOLE_EXTRA_KEYS);
    extra[nr_extra].key = key;
    extra[nr_extra].fn = fn;
    extra[nr_extra].what = what;
    nr_extra++;
}

static void key_help(void)
{
    for (size_t i = 0; i < ARRAY_SIZE(keys); i++)
        printk("'%c': %s", keys[i].key, keys[i].what);
    for (unsigned int i = 0; i < nr_extra; i++)
        printk("'%c': %s", extra[i].key, extra[i].what);
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
    for (unsigned int i = 0; i < nr_extra; i++) {
        if (extra[i].key == c) {
            extra[i].fn();
            return;
        }
    }
}
