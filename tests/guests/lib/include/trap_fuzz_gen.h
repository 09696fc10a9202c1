/*
 * Where the trap fuzzers aim their MMIO, shared by the 64-bit trap_fuzz guest
 * (tests/guests/cases) and its AArch32 twin (tests/guests/aarch32/cases): the
 * emulated GIC (distributor, then redistributors or the CPU interface), the
 * vPL011 but its data register (random bytes on the console test nothing),
 * and holes of the IPA space, in the same proportions. Each guest gives its
 * layout (from its device tree) and its own access instructions.
 *
 * Include test_rng.h (rnd()) first.
 */
#ifndef TRAP_FUZZ_GEN_H
#define TRAP_FUZZ_GEN_H

#include <stdint.h>

struct tf_window {
    uint64_t base, size; /* size 0: absent */
};

struct tf_layout {
    struct tf_window gicd, gicr, gicc, uart;
    struct tf_window hole[2]; /* no memory, no device */
};

/* TF_GICC: a GICv2 CPU interface is the hardware's virtual one mapped in,
 * not trapped (so never emulated either). */
enum tf_kind { TF_GIC, TF_GICC, TF_UART, TF_HOLE };

static inline uint64_t tf_in(const struct tf_window *w)
{
    return w->base + rnd() % w->size;
}

/* An address to access and what is there. */
static inline uint64_t tf_mmio_target(const struct tf_layout *l, enum tf_kind *kind)
{
    for (;;) {
        switch (rnd() % 5) {
        case 0:
        case 1:
            *kind = TF_GIC;
            return tf_in(&l->gicd);
        case 2:
            if (l->gicr.size) {
                *kind = TF_GIC;
                return tf_in(&l->gicr);
            }
            if (l->gicc.size) {
                *kind = TF_GICC;
                return tf_in(&l->gicc);
            }
            break;
        case 3:
            if (l->uart.size) {
                uint64_t a = tf_in(&l->uart);
                if ((a & ~3ULL) != l->uart.base) { /* not the data register */
                    *kind = TF_UART;
                    return a;
                }
            }
            break;
        default:
            *kind = TF_HOLE;
            return tf_in(&l->hole[rnd() % 2]);
        }
    }
}

#endif
