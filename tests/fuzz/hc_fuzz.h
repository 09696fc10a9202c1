/*
 * The hypercall fuzzers' driver: each fuzz_hc_<family>.c lists the hypercall
 * numbers (and world actions) it drives and calls hc_fuzz_run(). The world
 * is fakes/hypercall_fake.h's: the real Xen state and guest_copy under the
 * decoders, a fake guest address translation. Four domains: d0 the control
 * domain, d1 and d2 Xen-enhanced domUs, d3 a plain VM whose memory no other
 * domain's hypercall may write.
 *
 * Input: a sequence of records (tests/fuzz/mkseeds.py writes them).
 *   u8  sel    bits 1:0 the calling domain; bits 7:2 an entry of the
 *              family's table (modulo its length)
 *   u16 form   2 bits per argument x0..x4: 0 u8, 1 u16 offset into guest
 *              RAM (FAKE_RAM_VA + off % RAM size), 2 u64 raw, 3 u32;
 *              bits 11:10 how many guest stores follow
 *   the arguments, then the stores: u16 offset into the caller's RAM
 *   window (through its stage 2, wherever that now points), u8 length
 *   (at most 64), the bytes.
 * A continuation is re-issued as the guest would, up to MAX_REISSUE times.
 * HC_FUZZ_TRACE=1 in the environment prints each call and its result (to
 * check what a seed does: build/fuzz/fuzz_hc_grant tests/fuzz/corpus/...).
 *
 * After every call: the result is >= 0 or one of Xen's errno values; no lock
 * is held and no domain reference is left; d3's RAM is unchanged (unless d3
 * made the call: any domain may issue hypercalls); nothing outside x0 moved
 * unless the call continued, and then it made progress (changed arguments;
 * a domctl, or a multicall holding one, may re-issue itself unchanged, its
 * progress kept in the hypervisor as Xen's); refusals that Xen
 * makes before touching anything (-EPERM, -ESRCH, -EACCES, -EDOM, -EILSEQ,
 * -E2BIG, -ENOENT, and -ENOSYS except set_version, which as Xen writes the
 * version back) did not even try to write guest memory. At the end the
 * world is torn down: leaks show up as libFuzzer leak reports.
 */
#ifndef TESTS_FUZZ_HC_FUZZ_H
#define TESTS_FUZZ_HC_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <boot/domain_build.h>
#include <cloison/errno.h>
#include <cloison/mm.h>
#include <cloison/p2m.h>
#include <core/domain.h>
#include <core/vcpu.h>
#include <public/errno.h>
#include <public/grant_table.h>
#include <public/xen.h>
#include "fakes/hypercall_fake.h"

/* Table entries that are not hypercall numbers. */
#define ACT_DESTROY 0x100 /* tear down the caller (not d3), as the reaper would */
#define ACT_TYPE 0x101    /* type the first argument's low byte on the console */
#define ACT_ANY 0x102     /* any hypercall number: the first argument's low 6 bits */

#define MAX_RECORDS 48
#define MAX_REISSUE 64
#define RAM_BYTES (FAKE_RAM_PAGES * PAGE_SIZE)

struct hc_in {
    const uint8_t *p;
    size_t left;
};

static uint64_t hc_take(struct hc_in *in, size_t n)
{
    uint64_t v = 0;
    for (size_t i = 0; i < n && in->left; i++, in->left--)
        v |= (uint64_t)*in->p++ << (8 * i);
    return v;
}

static uint64_t hc_arg(struct hc_in *in, unsigned int form)
{
    switch (form) {
    case 0:
        return hc_take(in, 1);
    case 1:
        return FAKE_RAM_VA + hc_take(in, 2) % RAM_BYTES;
    case 2:
        return hc_take(in, 8);
    default:
        return hc_take(in, 4);
    }
}

/* A guest's own store: through its stage 2, into whatever is mapped there
 * (d NULL: the domain is gone, the bytes are only consumed). */
static void hc_store(struct domain *d, struct hc_in *in)
{
    uint64_t ipa = FAKE_RAM_VA + hc_take(in, 2) % RAM_BYTES;
    size_t len = hc_take(in, 1) % 65;
    for (size_t i = 0; i < len; i++, ipa++) {
        uint8_t b = (uint8_t)hc_take(in, 1);
        paddr_t pa;
        enum p2m_type t;
        if (d && ipa < FAKE_RAM_END && p2m_lookup(&d->p2m, ipa & PAGE_MASK, &pa, &t))
            *(uint8_t *)phys_to_virt((pa & PAGE_MASK) | (ipa & (PAGE_SIZE - 1))) = b;
    }
}

/* d3's RAM, which no hypercall may write (a guest store may: dom0 can map
 * its pages). */
static void hc_bystander_copy(uint8_t *out)
{
    struct domain *d = fake_dom(3);
    size_t off = 0;
    for (size_t i = 0; i < d->nr_ram_chunks; i++) {
        size_t n = PAGE_SIZE << d->ram_chunks[i].order;
        memcpy(out + off, phys_to_virt(d->ram_chunks[i].pa), n);
        off += n;
    }
}

static bool hc_xen_errno(int64_t rc)
{
    static const int codes[] = {
        XEN_EPERM,    XEN_ENOENT,     XEN_ESRCH,      XEN_EINTR,         XEN_EIO,
        XEN_ENXIO,    XEN_E2BIG,      XEN_ENOEXEC,    XEN_EBADF,         XEN_ECHILD,
        XEN_EAGAIN,   XEN_ENOMEM,     XEN_EACCES,     XEN_EFAULT,        XEN_EBUSY,
        XEN_EEXIST,   XEN_EXDEV,      XEN_ENODEV,     XEN_ENOTDIR,       XEN_EISDIR,
        XEN_EINVAL,   XEN_ENFILE,     XEN_EMFILE,     XEN_ENOSPC,        XEN_EROFS,
        XEN_EMLINK,   XEN_EDOM,       XEN_ERANGE,     XEN_EDEADLK,       XEN_ENAMETOOLONG,
        XEN_ENOLCK,   XEN_ENOSYS,     XEN_ENOTEMPTY,  XEN_ENODATA,       XEN_ETIME,
        XEN_EBADMSG,  XEN_EOVERFLOW,  XEN_EILSEQ,     XEN_ERESTART,      XEN_ENOTSOCK,
        XEN_EMSGSIZE, XEN_EOPNOTSUPP, XEN_EADDRINUSE, XEN_EADDRNOTAVAIL, XEN_ENOBUFS,
        XEN_EISCONN,  XEN_ENOTCONN,   XEN_ETIMEDOUT,  XEN_ECONNREFUSED};
    for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
        if (rc == -codes[i])
            return true;
    return false;
}

/* Refused before anything is copied to the guest. */
static bool hc_refusal(uint64_t nr, uint64_t a0, int64_t rc)
{
    if (rc == -ENOSYS)
        return !(nr == __HYPERVISOR_grant_table_op &&
                 ((uint32_t)a0 & GNTTABOP_CMD_MASK) == GNTTABOP_set_version);
    return rc == -EPERM || rc == -ESRCH || rc == -EACCES || rc == -EDOM || rc == -EILSEQ ||
           rc == -E2BIG || rc == -ENOENT;
}

/* One hypercall and its continuations, checked. */
static void hc_call(struct vcpu *v, uint64_t nr, const uint64_t a[5])
{
    static uint8_t before[RAM_BYTES], now[RAM_BYTES];
    uint64_t x[5];
    memcpy(x, a, sizeof(x));
    for (int round = 0; round < MAX_REISSUE; round++) {
        uint64_t written = fake_guest_writes;
        hc_bystander_copy(before);
        int64_t rc = fake_hypercall(v, nr, x[0], x[1], x[2], x[3], x[4]);
        const uint64_t *r = v->arch.regs.x;
        static int trace = -1;
        if (trace < 0)
            trace = getenv("HC_FUZZ_TRACE") != NULL;
        if (trace) {
            fprintf(stderr, "d%u: hypercall %lu(%#lx, %#lx, %#lx) = %ld%s", v->domain->id,
                    (unsigned long)nr, (unsigned long)x[0], (unsigned long)x[1],
                    (unsigned long)x[2], (long)rc, fake_continued(v) ? " (continues)" : "");
            for (uint64_t i = 0; i < 40; i++) { /* the argument, if x1 points into RAM */
                const uint8_t *g = fake_gva(v->domain, x[1] + i);
                if (g)
                    fprintf(stderr, "%s%02x", i % 8 ? "" : " ", *g);
            }
            fputc('\n', stderr);
        }
        hc_bystander_copy(now);
        bool own = v->domain->id == 3; /* d3 may write its own memory */
        if (fake_locks_held || fake_refs_held() || (!own && memcmp(now, before, RAM_BYTES)) ||
            !fake_regs_intact(v, nr))
            abort();
        if (!fake_continued(v)) {
            if (v->arch.regs.elr != FAKE_HVC_PC + 4 || memcmp(&r[1], &x[1], 4 * sizeof(x[0])))
                abort(); /* x1..x4 are arguments, never results */
            if (rc < 0 && !hc_xen_errno(rc))
                abort();
            if (hc_refusal(nr, x[0], rc) && fake_guest_writes != written)
                abort();
            return;
        }
        /* A continuation that would do the same again forever; except a
         * domctl's (and a multicall's holding one), which is the same call by
         * design, its progress kept in the hypervisor as Xen's (a busy domctl
         * lock, a P2M pool grown in steps), and MAX_REISSUE bounds it here. */
        if (!memcmp(r, x, sizeof(x)) && nr != __HYPERVISOR_domctl && nr != __HYPERVISOR_multicall)
            abort();
        memcpy(x, r, sizeof(x));
    }
}

static int hc_fuzz_run(const uint8_t *data, size_t size, const uint16_t *table, size_t n)
{
    struct hc_in in = {data, size};
    fake_world_reset();
    fake_domain(0, FAKE_XEN | FAKE_PRIV, 2);
    fake_domain(1, FAKE_XEN, 2);
    fake_domain(2, FAKE_XEN, 1);
    fake_domain(3, 0, 1);
    for (int rec = 0; rec < MAX_RECORDS && in.left; rec++) {
        unsigned int sel = (unsigned int)hc_take(&in, 1);
        unsigned int form = (unsigned int)hc_take(&in, 2);
        uint64_t a[5];
        for (unsigned int i = 0; i < 5; i++)
            a[i] = hc_arg(&in, (form >> (2 * i)) & 3);
        struct domain *d = fake_dom(sel & 3);
        for (unsigned int s = (form >> 10) & 3; s; s--)
            hc_store(d, &in);
        uint16_t what = table[(sel >> 2) % n];
        if (what == ACT_DESTROY) {
            if (d && d->id != 3)
                fake_domain_free(d);
            continue;
        }
        if (what == ACT_TYPE) {
            char c = (char)a[0];
            fake_type(&c, 1);
            continue;
        }
        if (!d)
            continue; /* that domain is gone */
        uint64_t nr = what == ACT_ANY ? a[0] % 64 : what;
        if (what == ACT_ANY)
            memmove(a, a + 1, 4 * sizeof(a[0]));
        hc_call(d->vcpus[0], nr, a);
    }
    fake_world_reset();
    if (fake_locks_held)
        abort();
    return 0;
}

#endif
