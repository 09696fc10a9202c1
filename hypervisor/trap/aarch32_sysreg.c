/*
 * Coprocessor and HVC/SMC traps from AArch32 (EC 0x03-0x0C, 0x12, 0x13).
 *
 * One description per register: an AArch32 CP15/CP14 access is turned into
 * the AArch64 encoding of the same register and handled by sysreg_trap.c's
 * table (the vGIC's ICC_*, the emulated physical timer, the sanitised ID
 * registers, ACTLR, set/way no-ops, PMU and debug registers). Most CP15
 * encodings are their AArch64 twin with op0 = 3 (ID space, ICC_*, ACTLR);
 * the exceptions are listed below. CP14 debug registers are op0 = 2 with the
 * same op1/CRn/CRm/op2, except the few AArch32-only ones.
 *
 * The transfer registers (Rt, Rt2) are mapped onto the banked X register of
 * the guest's mode (aarch32_esr_reg()). An instruction whose condition
 * fails is skipped.
 */
#include <cloison/printk.h>
#include <core/domain.h>
#include <core/vcpu.h>
#include <trap/aarch32.h>
#include <trap/traps.h>
#include <trap/vpsci.h>
#include <xen/hypercall.h>
#include <public/xen.h>
#include <asm/sysreg.h>
#include <asm/vsysreg.h>

/* 32-bit accesses: opc1:CRn:CRm:opc2 of MCR/MRC (ISS layout of EC 0x03/0x05). */
#define CP32(opc1, crn, crm, opc2) (((opc1) << 11) | ((crn) << 7) | ((crm) << 3) | (opc2))
/* 64-bit accesses: opc1:CRm of MCRR/MRRC. */
#define CP64(opc1, crm) (((opc1) << 4) | (crm))

/* A register reached through another encoding, or its upper half. */
struct cp_map {
    uint16_t cp;  /* CP32() or CP64() */
    uint16_t key; /* SYSREG() of the AArch64 register */
    bool high;    /* the AArch64 register's bits 63:32 (ACTLR2) */
};

static const struct cp_map cp15_32_map[] = {
    {CP32(0, 14, 2, 0), SYSREG(3, 3, 14, 2, 0), false}, /* CNTP_TVAL */
    {CP32(0, 14, 2, 1), SYSREG(3, 3, 14, 2, 1), false}, /* CNTP_CTL */
    {CP32(0, 7, 6, 2), SYSREG(1, 0, 7, 6, 2), false},   /* DCISW */
    {CP32(0, 7, 10, 2), SYSREG(1, 0, 7, 10, 2), false}, /* DCCSW */
    {CP32(0, 7, 14, 2), SYSREG(1, 0, 7, 14, 2), false}, /* DCCISW */
    {CP32(0, 1, 0, 3), SYSREG(3, 0, 1, 0, 1), true},    /* ACTLR2 */
};

static const struct cp_map cp15_64_map[] = {
    {CP64(2, 14), SYSREG(3, 3, 14, 2, 2), false},  /* CNTP_CVAL */
    {CP64(0, 12), SYSREG(3, 0, 12, 11, 5), false}, /* ICC_SGI1R */
    {CP64(1, 12), SYSREG(3, 0, 12, 11, 6), false}, /* ICC_ASGI1R */
    {CP64(2, 12), SYSREG(3, 0, 12, 11, 7), false}, /* ICC_SGI0R */
};

static const struct cp_map cp14_32_map[] = {
    {CP32(0, 0, 1, 0), SYSREG(2, 3, 0, 1, 0), false}, /* DBGDSCRint = MDCCSR_EL0 */
    {CP32(0, 0, 5, 0), SYSREG(2, 3, 0, 5, 0), false}, /* DBGDTRRX/TXint = DBGDTR*_EL0 */
    {CP32(0, 1, 5, 4), SYSREG(2, 0, 1, 4, 4), false}, /* DBGPRSR: RAZ/WI like DBGPRCR */
    {CP32(0, 0, 7, 0), SYSREG(2, 4, 0, 7, 0), false}, /* DBGVCR = DBGVCR32_EL2 */
};

static const struct cp_map *map_find(const struct cp_map *m, size_t n, uint16_t cp)
{
    for (size_t i = 0; i < n; i++)
        if (m[i].cp == cp)
            return &m[i];
    return NULL;
}

#define ISS_CV_COND_MASK 0x1f00000UL

/* The trapped instruction's condition failed: skip it, as the CPU would. */
static bool skipped(struct vcpu *v, uint64_t esr)
{
    if (aarch32_cond_passed(esr, v->arch.regs.spsr))
        return false;
    advance_pc(v, esr);
    return true;
}

static void undefined(struct vcpu *v, const char *what, unsigned int cp, unsigned int opc1,
                      unsigned int crn, unsigned int crm, unsigned int opc2, bool write)
{
    guest_log(v,
              "%s of unhandled %s p%u, %u, c%u, c%u, %u at pc 0x%lx: undefined instruction "
              "injected",
              write ? "write" : "read", what, cp, opc1, crn, crm, opc2, v->arch.regs.elr);
    inject_undef(v);
}

/* Run one access through the shared table: false = undefined. */
static bool access(struct vcpu *v, uint16_t key, bool high, bool write, uint64_t *val)
{
    sysreg_fn fn = sysreg_find(key);
    struct sysreg_access a = {.key = key, .write = write, .val = *val};
    if (!fn)
        return false;
    if (high && write)
        return true; /* only ACTLR2, whose writes are ignored like ACTLR's */
    if (!fn(v, &a))
        return false;
    *val = high ? a.val >> 32 : a.val;
    return true;
}

/* DBGDIDR (AArch32 only): ARMv8 debug, 2 breakpoints, 1 watchpoint (what the
 * RAZ/WI registers of vdebug.c stand for), the MIDR's variant/revision. */
static uint32_t dbgdidr(void)
{
    uint64_t midr = read_sysreg(midr_el1);
    return (0U << 28) | (1U << 24) | (6U << 16) | (uint32_t)(((midr >> 20) & 0xf) << 4) |
           (uint32_t)(midr & 0xf);
}

static void cp32(struct vcpu *v, uint64_t esr, bool cp14)
{
    if (skipped(v, esr))
        return;
    uint64_t iss = ESR_ISS(esr);
    unsigned int opc2 = (iss >> 17) & 7, opc1 = (iss >> 14) & 7, crn = (iss >> 10) & 0xf;
    unsigned int rt = aarch32_esr_reg(v->arch.regs.spsr, (iss >> 5) & 0x1f);
    unsigned int crm = (iss >> 1) & 0xf;
    bool write = !(iss & 1);
    uint16_t cp = (uint16_t)CP32(opc1, crn, crm, opc2);
    uint64_t val = write ? (uint32_t)guest_reg(v, rt) : 0;
    bool ok;

    if (cp14 && cp == CP32(0, 0, 0, 0)) { /* DBGDIDR: read-only */
        ok = !write;
        val = dbgdidr();
    } else {
        const struct cp_map *m = cp14 ? map_find(cp14_32_map, ARRAY_SIZE(cp14_32_map), cp)
                                      : map_find(cp15_32_map, ARRAY_SIZE(cp15_32_map), cp);
        uint16_t key;
        if (m)
            key = m->key;
        else if (cp14)
            key = SYSREG(2, opc1, crn, crm, opc2);
        else if (crn == 14 && crm >= 8) /* PMEVCNTR/PMEVTYPER: op1 3 in AArch64 */
            key = SYSREG(3, 3, crn, crm, opc2);
        else
            key = SYSREG(3, opc1, crn, crm, opc2);
        ok = access(v, key, m && m->high, write, &val);
    }
    if (!ok) {
        undefined(v, cp14 ? "CP14 register" : "CP15 register", cp14 ? 14 : 15, opc1, crn, crm, opc2,
                  write);
        return;
    }
    if (!write)
        set_guest_reg(v, rt, (uint32_t)val);
    advance_pc(v, esr);
}

static void cp64(struct vcpu *v, uint64_t esr, bool cp14)
{
    if (skipped(v, esr))
        return;
    uint64_t iss = ESR_ISS(esr);
    unsigned int opc1 = (iss >> 16) & 0xf;
    unsigned int rt2 = aarch32_esr_reg(v->arch.regs.spsr, (iss >> 10) & 0x1f);
    unsigned int rt = aarch32_esr_reg(v->arch.regs.spsr, (iss >> 5) & 0x1f);
    unsigned int crm = (iss >> 1) & 0xf;
    bool write = !(iss & 1);
    uint64_t val = write ? ((uint32_t)guest_reg(v, rt) | (guest_reg(v, rt2) << 32)) : 0;
    const struct cp_map *m =
        cp14 ? NULL : map_find(cp15_64_map, ARRAY_SIZE(cp15_64_map), (uint16_t)CP64(opc1, crm));
    bool ok;

    if (cp14) {
        /* DBGDRAR, DBGDSAR: no memory-mapped debug (0, "not valid"). */
        ok = !write && opc1 == 0 && (crm == 1 || crm == 2);
        val = 0;
    } else {
        ok = m && access(v, m->key, false, write, &val);
    }
    if (!ok) {
        undefined(v, cp14 ? "64-bit CP14 register" : "64-bit CP15 register", cp14 ? 14 : 15, opc1,
                  0, crm, 0, write);
        return;
    }
    if (!write) {
        set_guest_reg(v, rt, (uint32_t)val);
        set_guest_reg(v, rt2, val >> 32);
    }
    advance_pc(v, esr);
}

void trap_cp15_32(struct vcpu *v, uint64_t esr)
{
    cp32(v, esr, false);
}

void trap_cp14_32(struct vcpu *v, uint64_t esr)
{
    cp32(v, esr, true);
}

void trap_cp15_64(struct vcpu *v, uint64_t esr)
{
    cp64(v, esr, false);
}

void trap_cp14_64(struct vcpu *v, uint64_t esr)
{
    cp64(v, esr, true);
}

void trap_cp14_ls(struct vcpu *v, uint64_t esr)
{
    /* LDC/STC to DBGDTRRXint/TXint: the DCC is not offered. */
    if (skipped(v, esr))
        return;
    guest_log(v, "LDC/STC p14 at pc 0x%lx: undefined instruction injected", v->arch.regs.elr);
    inject_undef(v);
}

/* VMRS of an ID register (HCR_EL2.TID3): MVFR0/1/2, from the same sanitised
 * ID space as their AArch64 names MVFRn_EL1. */
void trap_cp10_id(struct vcpu *v, uint64_t esr)
{
    if (skipped(v, esr))
        return;
    uint64_t iss = ESR_ISS(esr);
    unsigned int reg = (iss >> 10) & 0xf;
    unsigned int rt = aarch32_esr_reg(v->arch.regs.spsr, (iss >> 5) & 0x1f);
    uint64_t val = 0;
    bool ok = (iss & 1) && reg >= 5 && reg <= 7 &&
              access(v, SYSREG(3, 0, 0, 3, 7 - reg), false, false, &val);
    if (!ok) {
        guest_log(v, "VMRS/VMSR of FP register %u at pc 0x%lx: undefined instruction injected", reg,
                  v->arch.regs.elr);
        inject_undef(v);
        return;
    }
    set_guest_reg(v, rt, (uint32_t)val);
    advance_pc(v, esr);
}

/* SMCCC SMC32 ids only: the arguments are the registers' low halves. */
static void smccc32(struct vcpu *v)
{
    for (unsigned int i = 0; i < 4; i++)
        v->arch.regs.x[i] = (uint32_t)v->arch.regs.x[i];
    smccc_dispatch(v);
}

void trap_hvc32(struct vcpu *v, uint64_t esr)
{
    uint32_t imm = esr & 0xffff;
    unsigned int mode = (unsigned int)v->arch.regs.spsr & PSR32_MODE_MASK;
    /* ELR already points after the HVC. */
    if (imm == XEN_HYPERCALL_TAG)
        hypercall_dispatch32(v, aarch32_reg_index(mode, 12));
    else if (imm == 0)
        smccc32(v);
    else {
        v->arch.regs.elr -= 4; /* UNDEFINED at the HVC itself (4 bytes in A32 and T32) */
        inject_undef(v);
    }
}

void trap_smc32(struct vcpu *v, uint64_t esr)
{
    /* A trapped SMC's ELR points at the SMC itself: skip it in any case. */
    bool run = aarch32_cond_passed(esr, v->arch.regs.spsr);
    advance_pc(v, esr);
    if (run)
        smccc32(v);
}
