/*
 * idregs: the ID registers a guest reads describe what it may really use.
 *  - SVE and MTE are hidden (their state is not switched by the hypervisor):
 *    ID_AA64PFR0.SVE, ID_AA64ZFR0 and ID_AA64PFR1.MTE read 0;
 *  - SME, EL2, PMUVer and whether PAuth is offered are reported as keys, not
 *    checked: Xen 4.17 shows SME and EL2 and hides PAuth, Cloison hides SME,
 *    EL2 and the PMU and passes PAuth through (test_sysregs.py checks
 *    Cloison's values);
 *  - unallocated encodings of the ID space read as zero;
 *  - a write to an ID register is UNDEFINED (ESR_EL1.EC = 0, ELR at the MSR);
 *  - the OS lock is implemented (OSLSR_EL1.OSLM = 0b10) and OSLAR_EL1 = 0
 *    unlocks it (OSLK = 0), what Linux does at boot;
 *  - if address authentication is advertised, it works: PACIA with a key set
 *    changes the pointer and AUTIA restores it (HCR_EL2.API/APK set).
 * The values themselves are printed on a RUN line, for comparison with Xen.
 */
#include "guest.h"

const char test_name[] = "idregs";

#define FIELD(v, shift) ((unsigned long long)(((v) >> (shift)) & 0xf))
#define SCTLR_ENIA (1ull << 31)

/* Hidden by Xen 4.17 and Cloison alike: a guest that saw them would use state
 * nobody switches. */
static void check_hidden(void)
{
    uint64_t pfr0 = read_sysreg(s3_0_c0_c4_0), pfr1 = read_sysreg(s3_0_c0_c4_1);
    uint64_t zfr0 = read_sysreg(s3_0_c0_c4_4);

    if (FIELD(pfr0, 32) || zfr0)
        test_fail("sve=%llu zfr0=0x%llx expected=0", FIELD(pfr0, 32), (unsigned long long)zfr0);
    if (FIELD(pfr1, 8))
        test_fail("mte=%llu expected=0 pfr1=0x%llx", FIELD(pfr1, 8), (unsigned long long)pfr1);
}

static void check_reserved_raz(void)
{
    /* Unallocated in every architecture version up to v9.4. */
    uint64_t r0 = read_sysreg(s3_0_c0_c3_3), r1 = read_sysreg(s3_0_c0_c5_2);
    uint64_t r2 = read_sysreg(s3_0_c0_c6_7), r3 = read_sysreg(s3_0_c0_c7_7);

    if (r0 | r1 | r2 | r3)
        test_fail("reserved ID registers not zero: %llx %llx %llx %llx", (unsigned long long)r0,
                  (unsigned long long)r1, (unsigned long long)r2, (unsigned long long)r3);
}

static void check_write_undef(void)
{
    struct trap_record rec;
    uintptr_t at;
    uint64_t val = 0;

    trap_expect(&rec);
    __asm__ volatile("adr %0, 1f\n"
                     "1: msr s3_0_c0_c4_0, %1\n" /* ID_AA64PFR0_EL1 */
                     : "=&r"(at)
                     : "r"(val)
                     : "memory");
    if (!rec.taken)
        test_fail("write to ID_AA64PFR0_EL1 did not fault");
    if (ESR_EC(rec.esr) != 0 || rec.elr != at)
        test_fail("write_esr=0x%llx elr=0x%llx expected ec=0 at 0x%llx",
                  (unsigned long long)rec.esr, (unsigned long long)rec.elr, (unsigned long long)at);
}

static void check_os_lock(void)
{
    uint64_t before = read_sysreg(s2_0_c1_c1_4); /* OSLSR_EL1 */

    if ((before & 0x9) != 0x8)
        test_fail("oslsr=0x%llx expected OSLM=0b10", (unsigned long long)before);
    write_sysreg(s2_0_c1_c0_4, 0); /* OSLAR_EL1: unlock */
    isb();
    uint64_t after = read_sysreg(s2_0_c1_c1_4);
    if (after & 0x2)
        test_fail("oslsr=0x%llx after unlocking", (unsigned long long)after);
}

/* PACIA/AUTIA x0 with modifier x1, as raw encodings (the guests build for v8.0). */
static uint64_t pacia(uint64_t ptr, uint64_t mod)
{
    register uint64_t x0 __asm__("x0") = ptr;
    register uint64_t x1 __asm__("x1") = mod;
    __asm__ volatile(".inst 0xdac10020" : "+r"(x0) : "r"(x1));
    return x0;
}

static uint64_t autia(uint64_t ptr, uint64_t mod)
{
    register uint64_t x0 __asm__("x0") = ptr;
    register uint64_t x1 __asm__("x1") = mod;
    __asm__ volatile(".inst 0xdac11020" : "+r"(x0) : "r"(x1));
    return x0;
}

/* Returns 1 if address authentication is advertised (and then verified). */
static int check_pauth(void)
{
    uint64_t isar1 = read_sysreg(s3_0_c0_c6_1), isar2 = read_sysreg(s3_0_c0_c6_2);

    if (!FIELD(isar1, 4) && !FIELD(isar1, 8) && !FIELD(isar2, 12))
        return 0;
    write_sysreg(s3_0_c2_c1_0, 0x0123456789abcdefull); /* APIAKeyLo_EL1 */
    write_sysreg(s3_0_c2_c1_1, 0xfedcba9876543210ull); /* APIAKeyHi_EL1 */
    if (read_sysreg(s3_0_c2_c1_0) != 0x0123456789abcdefull)
        test_fail("APIAKeyLo_EL1 did not keep its value");
    write_sysreg(sctlr_el1, read_sysreg(sctlr_el1) | SCTLR_ENIA);
    isb();
    uint64_t ptr = (uint64_t)(uintptr_t)&check_pauth;
    uint64_t signed_ptr = pacia(ptr, 42);
    uint64_t back = autia(signed_ptr, 42);
    write_sysreg(sctlr_el1, read_sysreg(sctlr_el1) & ~SCTLR_ENIA);
    isb();
    if (signed_ptr == ptr || back != ptr)
        test_fail("pauth ptr=0x%llx signed=0x%llx auth=0x%llx", (unsigned long long)ptr,
                  (unsigned long long)signed_ptr, (unsigned long long)back);
    return 1;
}

void test_main(void)
{
    uint64_t pfr0 = read_sysreg(s3_0_c0_c4_0), pfr1 = read_sysreg(s3_0_c0_c4_1);
    uint64_t dfr0 = read_sysreg(s3_0_c0_c5_0), isar1 = read_sysreg(s3_0_c0_c6_1);
    uint64_t mmfr1 = read_sysreg(s3_0_c0_c7_1);

    test_run("pfr0=0x%llx pfr1=0x%llx dfr0=0x%llx isar1=0x%llx mmfr1=0x%llx",
             (unsigned long long)pfr0, (unsigned long long)pfr1, (unsigned long long)dfr0,
             (unsigned long long)isar1, (unsigned long long)mmfr1);
    check_hidden();
    check_reserved_raz();
    check_write_undef();
    check_os_lock();
    int pauth = check_pauth();
    test_pass("sve=0 mte=0 sme=%llu smfr0=%d el2=%llu pmu=%llu raz=1 write_undef=1 oslm=2 "
              "pauth=%d",
              FIELD(pfr1, 24), read_sysreg(s3_0_c0_c4_5) != 0, FIELD(pfr0, 8), FIELD(dfr0, 8),
              pauth);
}
