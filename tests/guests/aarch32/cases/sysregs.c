/*
 * sysregs: the AArch32 ID registers (trapped by TID3) are the sanitised
 * ones: a generic timer, virt=N the Virtualization extensions field of
 * ID_PFR1 (Cloison hides it: the guest has no Hyp mode; Xen 4.17 does not);
 * MVFR0/1 by VMRS;
 * ACTLR reads (writes ignored); DBGDIDR says ARMv8 debug.
 */
#include "guest32.h"

GUEST32_NAME("sysregs");

void test_main(void)
{
    uint32_t pfr0 = MRC(0, 0, 1, 0), pfr1 = MRC(0, 0, 1, 1), mmfr0 = MRC(0, 0, 1, 4);
    uint32_t isar0 = MRC(0, 0, 2, 0), mvfr0 = read_mvfr0(), mvfr1 = read_mvfr1();

    if ((pfr0 & 0xf) == 0)
        test_fail("ID_PFR0 0x%x: no A32", pfr0);
    if (((pfr1 >> 16) & 0xf) == 0)
        test_fail("ID_PFR1 0x%x: no generic timer", pfr1);
    if ((mmfr0 & 0xf) < 3)
        test_fail("ID_MMFR0 0x%x: no VMSAv7", mmfr0);
    if (mvfr0 == 0)
        test_fail("MVFR0 reads 0");
    uint32_t actlr = MRC(0, 1, 0, 1);
    MCR(0, 1, 0, 1, actlr ^ 0xffff);
    if (MRC(0, 1, 0, 1) != actlr)
        test_fail("ACTLR write was not ignored");
    uint32_t didr;
    __asm__ volatile("mrc p14, 0, %0, c0, c0, 0" : "=r"(didr));
    if (((didr >> 16) & 0xf) < 5)
        test_fail("DBGDIDR 0x%x: debug version below v7.1", didr);
    test_pass("virt=%u pfr0=0x%x pfr1=0x%x mmfr0=0x%x isar0=0x%x mvfr0=0x%x mvfr1=0x%x didr=0x%x",
              (pfr1 >> 12) & 0xf, pfr0, pfr1, mmfr0, isar0, mvfr0, mvfr1, didr);
}
