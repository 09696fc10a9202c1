/*
 * EL2 stretch statistic (see core/stretch.h): one record per pCPU, written
 * only by that pCPU with interrupts masked, read racily by the debug key.
 */
#include <cloison/arch.h>
#include <cloison/percpu.h>
#include <asm/counter.h>
#include <core/stretch.h>
#include <string.h>

struct stretch_cpu {
    uint64_t start; /* counter at the stretch's start; 0 = none open */
    unsigned int cls;
    uint16_t domid;
    uint64_t max[STRETCH_CLASSES];
    uint64_t count[STRETCH_CLASSES];
    uint16_t max_domid[STRETCH_CLASSES];
};

static struct stretch_cpu cpus[MAX_PCPUS];
static const char *const *trap_names;
static unsigned int nr_trap_names;

void stretch_begin(unsigned int cls, uint16_t domid)
{
    struct stretch_cpu *s = &cpus[this_cpu_id()];
    s->start = arch_counter_inline();
    s->cls = cls < STRETCH_CLASSES ? cls : STRETCH_FIRST_TRAP;
    s->domid = domid;
}

void stretch_classify(unsigned int cls)
{
    if (cls < STRETCH_CLASSES)
        cpus[this_cpu_id()].cls = cls;
}

void stretch_end(void)
{
    struct stretch_cpu *s = &cpus[this_cpu_id()];
    if (!s->start)
        return; /* the pCPU's first entry into the scheduler */
    uint64_t d = arch_counter_inline() - s->start;
    unsigned int c = s->cls;
    s->start = 0;
    s->count[c]++;
    if (d > s->max[c]) {
        s->max[c] = d;
        s->max_domid[c] = s->domid;
    }
}

void stretch_set_names(const char *const *names, unsigned int n)
{
    trap_names = names;
    nr_trap_names = n;
}

const char *stretch_class_name(unsigned int cls)
{
    if (cls == STRETCH_IDLE_EXIT)
        return "idle-exit";
    if (cls == STRETCH_REAP)
        return "reap";
    return cls < nr_trap_names ? trap_names[cls] : NULL;
}

void stretch_read(unsigned int cls, struct stretch_stat *out)
{
    memset(out, 0, sizeof(*out));
    out->domid = STRETCH_NO_DOMAIN;
    if (cls >= STRETCH_CLASSES)
        return;
    for (unsigned int i = 0; i < nr_pcpus; i++) {
        const struct stretch_cpu *s = &cpus[i];
        uint64_t m = __atomic_load_n(&s->max[cls], __ATOMIC_RELAXED);
        out->count += __atomic_load_n(&s->count[cls], __ATOMIC_RELAXED);
        if (m > out->max_ticks) {
            out->max_ticks = m;
            out->domid = s->max_domid[cls];
            out->cpu = i;
        }
    }
}

void stretch_reset(void)
{
    for (unsigned int i = 0; i < nr_pcpus; i++)
        for (unsigned int c = 0; c < STRETCH_CLASSES; c++) {
            __atomic_store_n(&cpus[i].max[c], 0, __ATOMIC_RELAXED);
            __atomic_store_n(&cpus[i].count[c], 0, __ATOMIC_RELAXED);
        }
}
