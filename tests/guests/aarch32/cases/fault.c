/*
 * fault: what the hypervisor refuses comes back as AArch32 exceptions the
 * guest handles and survives: a load outside its memory (data abort, DFAR =
 * the address, DFSR = synchronous external abort), an IMPLEMENTATION DEFINED
 * CP15 register (trapped by TIDCP: UNDEFINED), an HVC with an unknown
 * immediate (UNDEFINED). A conditional MRC whose condition fails does nothing.
 */
#include "guest32.h"

GUEST32_NAME("fault");

#define HOLE 0x10000000u

static unsigned int nr_dabt, nr_undef;
static uint32_t dfar, dfsr, und_spsr, abt_spsr;

/* Where every fault here comes from: SVC mode, this build's instruction set.
 * Returning with it, not the SPSR read, keeps the test independent of QEMU's
 * TCG, which leaves a stale SPSR after an exception injected from EL2. */
#ifdef __thumb__
#define FROM_CPSR 0x1f3u
#else
#define FROM_CPSR 0x1d3u
#endif

static bool hook(enum trap_kind kind, struct frame32 *f)
{
    if (kind == T_DABT) {
        nr_dabt++;
        dfar = MRC(0, 6, 0, 0);
        dfsr = MRC(0, 5, 0, 0);
        abt_spsr = f->spsr;
        f->spsr = (f->spsr & 0xf0000000u) | FROM_CPSR;
        f->lr -= 4; /* LR_abt = insn + 8: resume after the 4-byte load */
        return true;
    }
    if (kind == T_UNDEF) {
        nr_undef++;
        und_spsr = f->spsr;
        f->spsr = (f->spsr & 0xf0000000u) | FROM_CPSR;
        /* LR_und = insn + 4 (A32) or + 2 (T32); the insns are 4 bytes. */
        if (FROM_CPSR & (1u << 5))
            f->lr += 2;
        return true;
    }
    return false;
}

void test_main(void)
{
    trap_hook = hook;
    load_from(HOLE);
    if (nr_dabt != 1 || dfar != HOLE || (dfsr & 0x40f) != 0x8)
        test_fail("load from 0x%x: %u aborts, DFAR 0x%x DFSR 0x%x", HOLE, nr_dabt, dfar, dfsr);
    uint32_t v = mrc_impdef();
    if (nr_undef != 1 || v != 0x5a5a5a5a)
        test_fail("IMPDEF MRC: %u undefs, value 0x%x", nr_undef, v);
    hvc_bad_imm();
    if (nr_undef != 2)
        test_fail("HVC #0x1234: %u undefs", nr_undef);
    uint32_t r = 0x77;
    /* Z is clear after cmp of 0 with 1: MRCEQ must not execute. */
    __asm__ volatile("cmp %1, #1\n\t"
#ifdef __thumb__
                     "it eq\n\t"
#endif
                     "mrceq p15, 0, %0, c14, c2, 1"
                     : "+r"(r)
                     : "r"(0)
                     : "cc");
    if (r != 0x77)
        test_fail("MRCEQ with Z clear wrote 0x%x", r);
    test_pass("dabt=%u undef=%u dfsr=0x%x abt_spsr=0x%x und_spsr=0x%x", nr_dabt, nr_undef, dfsr,
              abt_spsr, und_spsr);
}
