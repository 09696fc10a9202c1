/*
 * Emulated system registers (EC 0x18 traps), shared by the dispatcher
 * (sysreg_trap.c) and the files that own one group each: idregs.c (the
 * sanitised ID space), vdebug.c (debug registers
 * trapped by MDCR_EL2), vptimer.c (the EL1 physical timer).
 */
#ifndef ASM_VSYSREG_H
#define ASM_VSYSREG_H

#include <cloison/types.h>

struct vcpu;

/* An encoding packed as op0:op1:CRn:CRm:op2 (2+3+4+4+3 bits). */
#define SYSREG(op0, op1, crn, crm, op2) \
    ((uint16_t)(((op0) << 14) | ((op1) << 11) | ((crn) << 7) | ((crm) << 3) | (op2)))
#define SYSREG_OP0(k) (((k) >> 14) & 3)
#define SYSREG_OP1(k) (((k) >> 11) & 7)
#define SYSREG_CRN(k) (((k) >> 7) & 0xf)
#define SYSREG_CRM(k) (((k) >> 3) & 0xf)
#define SYSREG_OP2(k) ((k)&7)

/* One trapped access. For a write, val holds the guest's value; a read
 * handler stores the result in val. */
struct sysreg_access {
    uint16_t key;
    bool write;
    uint64_t val;
};

/* A handler returns false when the access is undefined for the guest (the
 * dispatcher then logs it and injects UNDEF). */
typedef bool (*sysreg_fn)(struct vcpu *v, struct sysreg_access *a);

/* The handler of an AArch64 encoding (sysreg_trap.c's table), NULL if none:
 * also how AArch32 CP15/CP14 accesses reach the same descriptions. */
sysreg_fn sysreg_find(uint16_t key);

/* Generic handlers shared by the register groups (sysreg_trap.c). */
bool sysreg_raz_wi(struct vcpu *v, struct sysreg_access *a); /* reads 0, writes ignored */
bool sysreg_raz_ro(struct vcpu *v, struct sysreg_access *a); /* reads 0, writes UNDEF */

bool idregs_access(struct vcpu *v, struct sysreg_access *a);  /* ID space, REVIDR, AIDR */
bool vdebug_access(struct vcpu *v, struct sysreg_access *a);  /* op0 == 2 */
bool vptimer_access(struct vcpu *v, struct sysreg_access *a); /* CNTP_{CTL,CVAL,TVAL}_EL0 */

/* Host value of ACTLR_EL1 at boot: what guests read (writes are ignored). */
uint64_t idregs_host_actlr(void);

#endif
