/*
 * Debug registers (op0 == 2), trapped by MDCR_EL2.TDA/TDOSA/TDRA so that a
 * guest can neither program the shared breakpoint/watchpoint hardware nor
 * read another domain's debug state. What a stock kernel touches behaves as
 * on a CPU whose debug logic is present but idle (as Xen does it):
 *  - breakpoint/watchpoint values and controls, MDSCR_EL1, the DCC registers:
 *    read as zero, writes ignored (so nothing ever fires);
 *  - the OS lock is emulated per vCPU: OSLSR_EL1 says "implemented" (OSLM =
 *    0b10) and shows OSLK as the guest last set it through OSLAR_EL1; it
 *    starts locked, as after a cold reset;
 *  - OSDLR_EL1 is RAZ/WI, which is what "no double lock" means; the ID
 *    registers say so (ID_AA64DFR0_EL1.DoubleLock = 0xf, idregs.c);
 *  - DBGPRCR_EL1 RAZ/WI, MDRAR_EL1 reads 0 (no memory-mapped debug);
 *  - DBGVCR (AArch32 guests' vector catch, DBGVCR32_EL2) RAZ/WI.
 * Anything else (claim tags, DBGAUTHSTATUS_EL1, trace) is undefined.
 */
#include <core/vcpu.h>
#include <asm/vsysreg.h>

#define MASK_ALL 0xffffU
#define MASK_ANY_CRM (MASK_ALL & ~(0xfU << 3))
#define MASK_OP2_HI (MASK_ANY_CRM & ~3U) /* CRm any, op2 4..7 */

#define OSLSR_OSLM_IMPL (1UL << 3) /* OSLM = 0b10 */
#define OSLSR_OSLK (1UL << 1)

static bool oslar(struct vcpu *v, struct sysreg_access *a)
{
    if (!a->write) /* write-only */
        return false;
    v->arch.sys.os_unlocked = !(a->val & 1);
    return true;
}

static bool oslsr(struct vcpu *v, struct sysreg_access *a)
{
    if (a->write)
        return false;
    a->val = OSLSR_OSLM_IMPL | (v->arch.sys.os_unlocked ? 0 : OSLSR_OSLK);
    return true;
}

struct dbg_entry {
    uint16_t key, mask;
    sysreg_fn fn;
};

static const struct dbg_entry dbg_table[] = {
    {SYSREG(2, 0, 0, 0, 4), MASK_OP2_HI, sysreg_raz_wi}, /* DBG{B,W}{V,C}R<n>_EL1 */
    {SYSREG(2, 0, 0, 2, 2), MASK_ALL, sysreg_raz_wi},    /* MDSCR_EL1 */
    {SYSREG(2, 0, 0, 2, 0), MASK_ALL, sysreg_raz_wi},    /* MDCCINT_EL1 */
    {SYSREG(2, 0, 0, 0, 2), MASK_ALL, sysreg_raz_wi},    /* OSDTRRX_EL1 */
    {SYSREG(2, 0, 0, 3, 2), MASK_ALL, sysreg_raz_wi},    /* OSDTRTX_EL1 */
    {SYSREG(2, 0, 0, 6, 2), MASK_ALL, sysreg_raz_wi},    /* OSECCR_EL1 */
    {SYSREG(2, 3, 0, 1, 0), MASK_ALL, sysreg_raz_ro},    /* MDCCSR_EL0 */
    {SYSREG(2, 3, 0, 4, 0), MASK_ALL, sysreg_raz_wi},    /* DBGDTR_EL0 */
    {SYSREG(2, 3, 0, 5, 0), MASK_ALL, sysreg_raz_wi},    /* DBGDTRRX_EL0 / DBGDTRTX_EL0 */
    {SYSREG(2, 0, 1, 0, 0), MASK_ALL, sysreg_raz_ro},    /* MDRAR_EL1 */
    {SYSREG(2, 0, 1, 0, 4), MASK_ALL, oslar},            /* OSLAR_EL1 */
    {SYSREG(2, 0, 1, 1, 4), MASK_ALL, oslsr},            /* OSLSR_EL1 */
    {SYSREG(2, 0, 1, 3, 4), MASK_ALL, sysreg_raz_wi},    /* OSDLR_EL1 */
    {SYSREG(2, 0, 1, 4, 4), MASK_ALL, sysreg_raz_wi},    /* DBGPRCR_EL1 */
    {SYSREG(2, 4, 0, 7, 0), MASK_ALL, sysreg_raz_wi},    /* DBGVCR32_EL2 (AArch32 DBGVCR) */
};

bool vdebug_access(struct vcpu *v, struct sysreg_access *a)
{
    for (size_t i = 0; i < sizeof(dbg_table) / sizeof(dbg_table[0]); i++)
        if ((a->key & dbg_table[i].mask) == dbg_table[i].key)
            return dbg_table[i].fn(v, a);
    return false;
}
