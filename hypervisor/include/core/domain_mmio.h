/*
 * A domain's emulated MMIO windows (core/domain_mmio.c), as Bao's
 * vm_emul_add_mem: a device model registers its frames when its per-domain
 * state is created and removes them when it is destroyed; the stage-2 abort
 * handler (trap/mmio.c) finds the window holding the faulting IPA and calls
 * its handler, so it never names a device.
 *
 * The windows change only while none of the domain's vCPUs runs (creation,
 * teardown) and are read lock-free on its exits. A domain has a handful (a
 * vGIC distributor and redistributors, a vPL011): a small array searched in
 * order.
 */
#ifndef CLOISON_DOMAIN_MMIO_H
#define CLOISON_DOMAIN_MMIO_H

#include <cloison/types.h>

struct domain;
struct vcpu;

enum mmio_result { MMIO_HANDLED, MMIO_UNHANDLED, MMIO_ABORT };

/* One decoded access of size bytes (1, 2, 4 or 8) at ipa by v: a write's
 * value is in *val (zero-extended), a read stores it there (zero-extended;
 * the caller sign-extends as the instruction asks). MMIO_UNHANDLED and
 * MMIO_ABORT both give the guest an external abort. */
typedef enum mmio_result (*mmio_handler_fn)(struct vcpu *v, ipa_t ipa, unsigned int size,
                                            bool write, uint64_t *val, void *opaque);

struct mmio_window {
    ipa_t base;
    uint64_t size;
    mmio_handler_fn fn;
    void *opaque;
};

#define DOMAIN_MMIO_WINDOWS 4

struct domain_mmio {
    unsigned int nr;
    struct mmio_window w[DOMAIN_MMIO_WINDOWS];
};

/* [base, base + size) is emulated by fn(..., opaque) from now on. 0, -EINVAL
 * (empty, wrapping, or overlapping another window) or -ENOSPC. */
int domain_mmio_add(struct domain *d, ipa_t base, uint64_t size, mmio_handler_fn fn, void *opaque);
/* Remove every window registered with this fn and opaque (none: no-op). */
void domain_mmio_remove(struct domain *d, mmio_handler_fn fn, const void *opaque);
/* Does [base, base + size) touch an emulated window? */
bool domain_mmio_overlaps(const struct domain *d, ipa_t base, uint64_t size);
/* The window holding ipa, or NULL. */
const struct mmio_window *domain_mmio_find(const struct domain *d, ipa_t ipa);

#endif
