/*
 * Trapped system register accesses (EC 0x18): decode the encoding, find its
 * handler in one table, and either complete the access or inject UNDEF.
 * Which accesses trap is cpu.c's choice; what each returns is decided here
 * and in the files that own a group:
 *  - GIC CPU interface (ICC_*_EL1, GICv3): the vGIC;
 *  - ID registers, REVIDR, AIDR (HCR_EL2.TID3/TID1): idregs.c, a sanitised
 *    copy of the boot CPU's values; writes are undefined;
 *  - debug registers (MDCR_EL2.TDA/TDOSA/TDRA): vdebug.c;
 *  - EL1 physical timer (CNTHCTL_EL2.EL1PCEN = 0): vptimer.c;
 *  - PMU registers (MDCR_EL2.TPM/TPMCR): read as zero, writes ignored, so a
 *    guest can neither read nor program host-wide counters (the ID registers
 *    say there is no PMU, so a guest that follows them never gets here);
 *  - ACTLR_EL1 (HCR_EL2.TACR): reads the host's boot value, writes ignored,
 *    so no guest can turn off an IMPLEMENTATION DEFINED erratum workaround;
 *  - LORegions (HCR_EL2.TLOR): RAZ/WI, i.e. LORID_EL1 says zero regions;
 *  - DC ISW/CSW/CISW (HCR_EL2.TSW): no-ops, since a guest does not own the
 *    caches and its memory is kept coherent by the stage-2 attributes;
 * AArch32 guests reach the same table through their CP15/CP14 encodings
 * (trap/aarch32_sysreg.c maps each onto its AArch64 key).
 * Everything else (IMPLEMENTATION DEFINED registers under HCR_EL2.TIDCP, RAS
 * error records under TERR, SVE/SME/AMU/trace/MTE registers, unknown ones) is
 * logged once per access and undefined in the guest.
 */
#include <cloison/printk.h>
#include <trap/traps.h>
#include <core/vcpu.h>
#include <vdev/vgic.h>
#include <asm/sysreg.h>
#include <asm/vsysreg.h>

/* Match masks over the packed encoding (asm/vsysreg.h). */
#define M_OP0 (3U << 14)
#define M_OP1 (7U << 11)
#define M_CRN (0xfU << 7)
#define M_CRM (0xfU << 3)
#define M_OP2 7U
#define M_ALL (M_OP0 | M_OP1 | M_CRN | M_CRM | M_OP2)

static uint16_t iss_key(uint64_t iss)
{
    return SYSREG((iss >> 20) & 3, (iss >> 14) & 7, (iss >> 10) & 0xf, (iss >> 1) & 0xf,
                  (iss >> 17) & 7);
}

bool sysreg_raz_wi(struct vcpu *v, struct sysreg_access *a)
{
    (void)v;
    if (!a->write)
        a->val = 0;
    return true;
}

bool sysreg_raz_ro(struct vcpu *v, struct sysreg_access *a)
{
    (void)v;
    a->val = 0;
    return !a->write;
}

static bool nop(struct vcpu *v, struct sysreg_access *a)
{
    (void)v;
    (void)a;
    return true;
}

static bool actlr(struct vcpu *v, struct sysreg_access *a)
{
    (void)v;
    if (!a->write)
        a->val = idregs_host_actlr();
    return true;
}

/* The vGIC decodes the ISS itself; rebuild it from the key. */
static bool gic(struct vcpu *v, struct sysreg_access *a)
{
    uint16_t k = a->key;
    uint32_t iss = (uint32_t)(SYSREG_OP0(k) << 20 | SYSREG_OP2(k) << 17 | SYSREG_OP1(k) << 14 |
                              SYSREG_CRN(k) << 10 | SYSREG_CRM(k) << 1) |
                   (a->write ? 0 : 1);
    return vgic_sysreg(v, iss, &a->val, a->write);
}

struct sysreg_entry {
    uint16_t key, mask;
    sysreg_fn fn;
};

/* First match wins. */
static const struct sysreg_entry table[] = {
    {SYSREG(3, 0, 12, 0, 0), M_OP0 | M_OP1 | M_CRN, gic},                  /* ICC_*_EL1 */
    {SYSREG(3, 0, 0, 1, 0), M_OP0 | M_OP1 | M_CRN | M_CRM, idregs_access}, /* CRm 1 */
    {SYSREG(3, 0, 0, 2, 0), M_OP0 | M_OP1 | M_CRN | (M_CRM & ~(1U << 3)), idregs_access},
    {SYSREG(3, 0, 0, 4, 0), M_OP0 | M_OP1 | M_CRN | (M_CRM & ~(3U << 3)), idregs_access},
    {SYSREG(3, 0, 0, 0, 6), M_ALL, idregs_access},         /* REVIDR_EL1 */
    {SYSREG(3, 1, 0, 0, 7), M_ALL, idregs_access},         /* AIDR_EL1 */
    {SYSREG(3, 0, 1, 0, 1), M_ALL, actlr},                 /* ACTLR_EL1 */
    {SYSREG(3, 0, 10, 4, 0), M_ALL & ~3U, sysreg_raz_wi},  /* LORSA..LORC */
    {SYSREG(3, 0, 10, 4, 7), M_ALL, sysreg_raz_ro},        /* LORID_EL1 */
    {SYSREG(3, 3, 14, 2, 0), M_ALL & ~3U, vptimer_access}, /* CNTP_* (op2 0-3) */
    {SYSREG(3, 0, 9, 12, 0), M_OP0 | M_CRN | (M_CRM & ~(3U << 3)),
     sysreg_raz_wi}, /* PM*, CRm 12-15 */
    {SYSREG(3, 3, 14, 8, 0), M_OP0 | M_OP1 | M_CRN | (1U << 6),
     sysreg_raz_wi},                               /* PMEV*, CRm 8-15 */
    {SYSREG(1, 0, 7, 6, 2), M_ALL, nop},           /* DC ISW */
    {SYSREG(1, 0, 7, 10, 2), M_ALL, nop},          /* DC CSW */
    {SYSREG(1, 0, 7, 14, 2), M_ALL, nop},          /* DC CISW */
    {SYSREG(2, 0, 0, 0, 0), M_OP0, vdebug_access}, /* op0 == 2 */
};

sysreg_fn sysreg_find(uint16_t key)
{
    for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
        if ((key & table[i].mask) == table[i].key)
            return table[i].fn;
    return NULL;
}

void trap_sysreg(struct vcpu *v, uint64_t esr)
{
    uint64_t iss = ESR_ISS(esr);
    unsigned int rt = (iss >> 5) & 0x1f;
    struct sysreg_access a = {.key = iss_key(iss), .write = !(iss & 1)};
    sysreg_fn fn = sysreg_find(a.key);

    a.val = a.write ? guest_reg(v, rt) : 0;
    if (!fn || !fn(v, &a)) {
        guest_log(v,
                  "%s of unhandled system register S%u_%u_C%u_C%u_%u at pc 0x%lx: undefined "
                  "instruction injected",
                  a.write ? "write" : "read", SYSREG_OP0(a.key), SYSREG_OP1(a.key),
                  SYSREG_CRN(a.key), SYSREG_CRM(a.key), SYSREG_OP2(a.key), v->arch.regs.elr);
        inject_undef(v);
        return;
    }
    if (!a.write)
        set_guest_reg(v, rt, a.val);
    advance_pc(v, esr);
}
