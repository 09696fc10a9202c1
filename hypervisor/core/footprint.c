/*
 * The last domain's creation, step by step (core/footprint.h). Deltas of the
 * allocator's own counters: heap bytes handed out (each object by its size
 * class) and pages taken straight from the page allocator (free pages gone
 * that the heap did not take). Slab pages the heap takes are not charged to
 * whoever happened to open them: objects are counted instead.
 */
#include <core/footprint.h>
#include <cloison/printk.h>
#include <cloison/spinlock.h>
#include <lib/printf.h>

static spinlock_t last_lock = SPINLOCK_INIT;
static struct footprint last;
static bool have_last;

void footprint_begin(struct footprint *f)
{
    f->nr = 0;
    mm_usage(&f->last);
}

void footprint_mark(struct footprint *f, const char *what, uint64_t exclude)
{
    struct mm_usage now;
    mm_usage(&now);
    int64_t heap = (int64_t)now.heap_bytes - (int64_t)f->last.heap_bytes;
    int64_t pages_gone = (int64_t)f->last.free_pages - (int64_t)now.free_pages;
    int64_t heap_pages = (int64_t)now.heap_pages - (int64_t)f->last.heap_pages;
    int64_t bytes = heap + (pages_gone - heap_pages) * (int64_t)PAGE_SIZE - (int64_t)exclude;
    f->last = now;
    if (f->nr < FOOTPRINT_MAX_STEPS) {
        f->step[f->nr].what = what;
        f->step[f->nr++].bytes = bytes;
    }
}

void footprint_keep(const struct footprint *f, uint16_t domid)
{
    spin_lock(&last_lock);
    last = *f;
    last.domid = domid;
    have_last = true;
    spin_unlock(&last_lock);
}

int64_t footprint_total(const struct footprint *f)
{
    int64_t sum = 0;
    for (unsigned int i = 0; i < f->nr; i++)
        sum += f->step[i].bytes;
    return sum;
}

void footprint_print_last(void)
{
    spin_lock(&last_lock);
    struct footprint f = last;
    bool have = have_last;
    spin_unlock(&last_lock);
    if (!have)
        return;
    char line[400];
    size_t n = 0;
    for (unsigned int i = 0; i < f.nr && n + 1 < sizeof(line); i++) {
        line[n++] = ' ';
        /* One word per step, so the line splits on blanks (bench/density.py). */
        for (const char *c = f.step[i].what; *c && n + 1 < sizeof(line); c++)
            line[n++] = *c == ' ' ? '_' : *c;
        if (n < sizeof(line))
            n += (size_t)snprintf(line + n, sizeof(line) - n, "=%ld", (long)f.step[i].bytes);
    }
    line[MIN(n, sizeof(line) - 1)] = '\0';
    printk("footprint d%u: %ld B at creation:%s .", f.domid, (long)footprint_total(&f), line);
}
