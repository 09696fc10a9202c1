/*
 * Helpers for the hypercall decoder tests (test_hc_*.c) over the fake world
 * of fakes/hypercall_fake.h: a guest's memory filled and read as the guest
 * sees it, snapshots to prove a failed call wrote nothing, and a check that
 * a call left no lock held and no domain referenced.
 */
#ifndef TESTS_UNIT_HC_UTIL_H
#define TESTS_UNIT_HC_UTIL_H

#include <stdlib.h>
#include <string.h>
#include <core/domain.h>
#include <core/vcpu.h>
#include <boot/domain_build.h>
#include <cloison/errno.h>
#include <cloison/mm.h>
#include <public/xen.h>
#include <xen/xen_domain.h>
#include "fakes/hypercall_fake.h"

/* Argument areas in guest RAM: page 1 .. page 7 of FAKE_RAM_VA. */
#define ARG (FAKE_RAM_VA + 1 * PAGE_SIZE)
#define ARG2 (FAKE_RAM_VA + 2 * PAGE_SIZE)
#define ARG3 (FAKE_RAM_VA + 3 * PAGE_SIZE)
#define BAD_VA 0x1000ULL /* not RAM: -EFAULT */

/* Copy len bytes into / out of guest memory at gva (all of it guest RAM). */
static inline void put(struct domain *d, uint64_t gva, const void *src, size_t len)
{
    const uint8_t *s = src;
    for (size_t i = 0; i < len; i++) {
        uint8_t *g = fake_gva(d, gva + i);
        if (!g)
            abort(); /* a test bug: not guest RAM */
        *g = s[i];
    }
}

static inline void get(struct domain *d, uint64_t gva, void *dst, size_t len)
{
    uint8_t *o = dst;
    for (size_t i = 0; i < len; i++) {
        const uint8_t *g = fake_gva(d, gva + i);
        if (!g)
            abort();
        o[i] = *g;
    }
}

/* The whole of a domain's RAM (the host pages, mapped or ballooned out), to
 * show a call changed none of it. */
struct ram_snap {
    uint8_t b[FAKE_RAM_PAGES * PAGE_SIZE];
};

static inline void snap(struct domain *d, struct ram_snap *s)
{
    size_t off = 0;
    for (size_t i = 0; i < d->nr_ram_chunks && off < sizeof(s->b); i++) {
        size_t n = MIN(PAGE_SIZE << d->ram_chunks[i].order, sizeof(s->b) - off);
        memcpy(s->b + off, phys_to_virt(d->ram_chunks[i].pa), n);
        off += n;
    }
}

static inline bool ram_same(struct domain *d, const struct ram_snap *s)
{
    static struct ram_snap now;
    snap(d, &now);
    return memcmp(now.b, s->b, sizeof(s->b)) == 0;
}

/* Nothing left held or referenced after a call. */
static inline bool quiet(void)
{
    return fake_locks_held == 0 && fake_refs_held() == 0;
}

static inline struct vcpu *vcpu0(struct domain *d)
{
    return d->vcpus[0];
}

/*
 * A call that must fail validation: the expected error, and neither guest
 * memory (of any domain in the world) nor the copy-out counter touched.
 */
static inline bool fails_clean(struct vcpu *v, uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2,
                               int64_t want)
{
    static struct ram_snap before[FAKE_P2M_DOMS];
    for (uint16_t i = 0; i < FAKE_P2M_DOMS; i++)
        if (fake_dom(i))
            snap(fake_dom(i), &before[i]);
    uint64_t written = fake_guest_writes;
    int64_t rc = fake_hypercall(v, nr, a0, a1, a2, 0, 0);
    bool ok = rc == want && fake_guest_writes == written && !fake_continued(v) &&
              fake_regs_intact(v, nr) && quiet();
    for (uint16_t i = 0; i < FAKE_P2M_DOMS; i++)
        if (fake_dom(i))
            ok = ok && ram_same(fake_dom(i), &before[i]);
    if (!ok)
        fprintf(stderr, "  hypercall %lu(%#lx, %#lx, %#lx) = %ld, want %ld\n", (unsigned long)nr,
                (unsigned long)a0, (unsigned long)a1, (unsigned long)a2, (long)rc, (long)want);
    return ok;
}

#endif
