/*
 * Traps from AArch32 guests (32-bit EL1 domains, and 32-bit EL0 of either
 * kind): the pure rules (conditions, IT state, banked registers) and the
 * exception classes only AArch32 raises.
 */
#ifndef TRAP_AARCH32_H
#define TRAP_AARCH32_H

#include <cloison/types.h>

struct vcpu;

/* AArch32 PSTATE (SPSR_EL2 of a trap taken from AArch32). */
#define PSR32_MODE_MASK 0x1fU
#define PSR32_MODE_USR 0x10U
#define PSR32_MODE_FIQ 0x11U
#define PSR32_MODE_IRQ 0x12U
#define PSR32_MODE_SVC 0x13U
#define PSR32_MODE_MON 0x16U
#define PSR32_MODE_ABT 0x17U
#define PSR32_MODE_HYP 0x1aU
#define PSR32_MODE_UND 0x1bU
#define PSR32_MODE_SYS 0x1fU
#define PSR32_T (1U << 5)
#define PSR32_F (1U << 6)
#define PSR32_I (1U << 7)
#define PSR32_A (1U << 8)
#define PSR32_E (1U << 9)
#define PSR32_IT_LO_SHIFT 25 /* IT[1:0] */
#define PSR32_IT_HI_SHIFT 10 /* IT[7:2] */

/*
 * Whether a trapped instruction is to be executed: ESR_EL2.CV/COND when the
 * syndrome has them (EC 0x01, 0x03-0x0C, 0x13 from AArch32), else the
 * current IT block's condition for T32 code, evaluated against the NZCV
 * flags of spsr. Always true for traps from AArch64 and for unconditional
 * classes. An instruction whose condition fails is skipped, not emulated.
 */
bool aarch32_cond_passed(uint64_t esr, uint64_t spsr);
/* True when the 4-bit condition holds for flags nzcv (spsr bits 31:28). */
bool aarch32_cond_holds(unsigned int cond, unsigned int nzcv);
/* spsr with its IT state advanced past one instruction (ITAdvance()). */
uint64_t aarch32_it_advance(uint64_t spsr);
/*
 * The X register holding AArch32 register r (0..14) as seen in mode (the
 * architecture's mapping: r8-r12 of FIQ mode are x24-x28; SP/LR of usr/sys
 * x13/x14, hyp SP x15, irq x17/x16, svc x19/x18, abt x21/x20, und x23/x22,
 * fiq x29/x30). 31 for r15, a bad mode or LR_hyp (which is ELR_hyp).
 */
unsigned int aarch32_reg_index(unsigned int mode, unsigned int r);
/*
 * The X register a transfer-register field of ESR_EL2 (SRT, Rt, Rt2) names
 * for a trap taken with PSTATE spsr. The architecture reports the AArch64
 * view (x19 for SVC mode's SP); some implementations (QEMU's TCG) report the
 * AArch32 number. The two never collide: an AArch32 instruction cannot name
 * x8-x14 from FIQ mode nor x13/x14 from another privileged mode, so a value
 * up to 14 is taken as an AArch32 number of the trapping mode. From AArch64:
 * n itself.
 */
unsigned int aarch32_esr_reg(uint64_t spsr, unsigned int n);

/* Exception classes from AArch32 (trap/aarch32_sysreg.c). */
void trap_cp15_32(struct vcpu *v, uint64_t esr); /* EC 0x03: MCR/MRC p15 */
void trap_cp15_64(struct vcpu *v, uint64_t esr); /* EC 0x04: MCRR/MRRC p15 */
void trap_cp14_32(struct vcpu *v, uint64_t esr); /* EC 0x05: MCR/MRC p14 */
void trap_cp14_64(struct vcpu *v, uint64_t esr); /* EC 0x0C: MRRC p14 */
void trap_cp14_ls(struct vcpu *v, uint64_t esr); /* EC 0x06: LDC/STC p14 */
void trap_cp10_id(struct vcpu *v, uint64_t esr); /* EC 0x08: VMRS of MVFRn */
/* HVC/SMC from an AArch32 vCPU (EC 0x12/0x13): Xen hypercall (number in
 * r12), SMCCC/PSCI SMC32, or UNDEFINED. */
void trap_hvc32(struct vcpu *v, uint64_t esr);
void trap_smc32(struct vcpu *v, uint64_t esr);

/* Inject into an AArch32 EL1 (trap/aarch32_inject.c), as the CPU would take
 * the exception: mode, banked LR/SPSR, DFSR/IFSR, DFAR/IFAR, vector. */
void inject32_undef(struct vcpu *v);
void inject32_abort(struct vcpu *v, uint64_t far, bool instr);

#endif
