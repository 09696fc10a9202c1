/*
 * undef: a system register access that traps to EL2 (MDCR_EL2.TDA, which both
 * Xen and Cloison set) and that the hypervisor does not emulate must be
 * answered with an UNDEFINED exception in the guest (ESR_EL1.EC = 0, ELR at
 * the access). DBGCLAIMCLR_EL1 is one Xen 4.17 lists as unhandled; QEMU 7.2
 * does not implement HCR_EL2.TIDCP, so IMPDEF registers would not reach EL2.
 */
#include "guest.h"

const char test_name[] = "undef";

void test_main(void)
{
    struct trap_record rec;
    uintptr_t at;
    uint64_t val = 0;

    trap_expect(&rec);
    __asm__ volatile("adr %0, 1f\n"
                     "1: mrs %1, S2_0_C7_C9_6\n" /* DBGCLAIMCLR_EL1 */
                     : "=&r"(at), "+r"(val)
                     :
                     : "memory");
    if (!rec.taken)
        test_fail("DBGCLAIMCLR_EL1 read did not trap, value=0x%llx", (unsigned long long)val);
    if (ESR_EC(rec.esr) != 0)
        test_fail("esr_ec=0x%llx expected=0x0 esr=0x%llx", (unsigned long long)ESR_EC(rec.esr),
                  (unsigned long long)rec.esr);
    if (rec.elr != at)
        test_fail("elr=0x%llx expected=0x%llx", (unsigned long long)rec.elr,
                  (unsigned long long)at);
    test_pass("esr_ec=0x0 elr_ok=1");
}
