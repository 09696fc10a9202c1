/*
 * lib/rangeset: sorted arrays of address ranges (see lib/rangeset.h).
 */
#include <lib/rangeset.h>
#include <string.h>

void rangeset_init(struct rangeset *s, struct range *storage, unsigned int cap)
{
    s->r = storage;
    s->nr = 0;
    s->cap = cap;
}

/* Index of the first range whose end is above addr (s->nr if none): the
 * first one that can overlap or follow [addr, ...). */
static unsigned int first_ending_after(const struct rangeset *s, uint64_t addr)
{
    unsigned int lo = 0, hi = s->nr;

    while (lo < hi) {
        unsigned int mid = lo + (hi - lo) / 2;
        if (s->r[mid].end > addr)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

static void open_slot(struct rangeset *s, unsigned int i)
{
    memmove(&s->r[i + 1], &s->r[i], (s->nr - i) * sizeof(s->r[0]));
    s->nr++;
}

static void close_slots(struct rangeset *s, unsigned int i, unsigned int n)
{
    memmove(&s->r[i], &s->r[i + n], (s->nr - i - n) * sizeof(s->r[0]));
    s->nr -= n;
}

enum rangeset_result rangeset_add(struct rangeset *s, uint64_t start, uint64_t end)
{
    if (start >= end)
        return RANGESET_EMPTY;
    /* Ranges [i, j) overlap or touch [start, end): their end >= start and
     * their start <= end. */
    unsigned int i = start ? first_ending_after(s, start - 1) : 0, j = i;
    while (j < s->nr && s->r[j].start <= end)
        j++;
    if (i == j) {
        if (s->nr == s->cap)
            return RANGESET_FULL;
        open_slot(s, i);
        s->r[i] = (struct range){start, end};
        return RANGESET_ADDED;
    }
    if (s->r[i].start < start)
        start = s->r[i].start;
    if (s->r[j - 1].end > end)
        end = s->r[j - 1].end;
    s->r[i] = (struct range){start, end};
    close_slots(s, i + 1, j - i - 1);
    return RANGESET_ADDED;
}

enum rangeset_result rangeset_insert(struct rangeset *s, uint64_t start, uint64_t end,
                                     struct range *conflict)
{
    if (start >= end)
        return RANGESET_EMPTY;
    unsigned int i = first_ending_after(s, start);
    if (i < s->nr && s->r[i].start < end) {
        if (s->r[i].start == start && s->r[i].end == end)
            return RANGESET_EXISTS;
        if (conflict)
            *conflict = s->r[i];
        return RANGESET_OVERLAP;
    }
    if (s->nr == s->cap)
        return RANGESET_FULL;
    open_slot(s, i);
    s->r[i] = (struct range){start, end};
    return RANGESET_ADDED;
}

bool rangeset_remove(struct rangeset *s, uint64_t start, uint64_t end)
{
    if (start >= end)
        return true;
    unsigned int i = first_ending_after(s, start);
    if (i < s->nr && s->r[i].start < start && s->r[i].end > end) {
        /* Strictly inside one range: split it in two. */
        if (s->nr == s->cap)
            return false;
        open_slot(s, i + 1);
        s->r[i + 1] = (struct range){end, s->r[i].end};
        s->r[i].end = start;
        return true;
    }
    while (i < s->nr && s->r[i].start < end) {
        struct range *r = &s->r[i];
        if (r->start < start) {
            r->end = start; /* keeps its head */
            i++;
        } else if (r->end > end) {
            r->start = end; /* keeps its tail */
            i++;
        } else {
            close_slots(s, i, 1); /* entirely inside */
        }
    }
    return true;
}

const struct range *rangeset_first_overlap(const struct rangeset *s, uint64_t start, uint64_t end)
{
    if (start >= end)
        return NULL;
    unsigned int i = first_ending_after(s, start);
    return i < s->nr && s->r[i].start < end ? &s->r[i] : NULL;
}

bool rangeset_covers(const struct rangeset *s, uint64_t start, uint64_t end)
{
    if (start >= end)
        return false;
    for (unsigned int i = first_ending_after(s, start); i < s->nr; i++) {
        if (s->r[i].start > start)
            return false; /* a hole before this range */
        if (s->r[i].end >= end)
            return true;
        start = s->r[i].end;
    }
    return false;
}

const struct range *rangeset_find(const struct rangeset *s, uint64_t start, uint64_t end)
{
    const struct range *r = rangeset_first_overlap(s, start, end);
    return r && r->start == start && r->end == end ? r : NULL;
}

bool rangeset_check(const struct rangeset *s, bool merged)
{
    if (s->nr > s->cap)
        return false;
    for (unsigned int i = 0; i < s->nr; i++) {
        if (s->r[i].start >= s->r[i].end)
            return false;
        if (i && (merged ? s->r[i].start <= s->r[i - 1].end : s->r[i].start < s->r[i - 1].end))
            return false;
    }
    return true;
}
