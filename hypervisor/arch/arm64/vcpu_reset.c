/* Architectural reset state of a vCPU (Linux arm64 boot protocol, PSCI CPU_ON). */
#include <asm/vcpu_arch.h>
#include <asm/sysreg.h>
#include <string.h>

/* SCTLR_EL1 with MMU and caches off and the ARMv8.0 RES1 bits set. */
#define SCTLR_EL1_RESET 0x30d00800UL
/* AArch32 SCTLR with MMU and caches off, its RES1 bits set (Xen's value). */
#define SCTLR32_RESET 0x00c50078UL
#define PSR32_MODE_SVC 0x13
#define PSR32_T BIT(5)

uint64_t vcpu_mpidr(unsigned int id)
{
    /* Aff0 = id % 16, Aff1 = id / 16 (GICv3 target lists cover 16 CPUs). */
    return BIT(31) | ((uint64_t)(id >> 4) << 8) | (id & 0xf);
}

void arch_vcpu_reset(struct vcpu_arch *a, unsigned int id, uint64_t pc, uint64_t x0)
{
    memset(&a->regs, 0, sizeof(a->regs));
    memset(&a->fp, 0, sizeof(a->fp));
    struct el1_sysregs *s = &a->sys;
    memset(s, 0, sizeof(*s));
    s->sctlr = SCTLR_EL1_RESET;
    s->vmpidr = vcpu_mpidr(id);
    memset(&a->sys32, 0, sizeof(a->sys32));
    a->spsr_token = 0; /* a pCPU holding its old live SPSR holds nothing of it now */
    a->regs.x[0] = x0;
    if (a->aarch32) {
        s->sctlr = SCTLR32_RESET;
        a->regs.x[0] = (uint32_t)x0;
        a->regs.elr = pc & ~1UL & 0xffffffffUL;
        a->regs.spsr = PSR32_MODE_SVC | PSR_A | PSR_I | PSR_F | ((pc & 1) ? PSR32_T : 0);
        return;
    }
    a->regs.elr = pc;
    a->regs.spsr = PSR_MODE_EL1h | PSR_DAIF;
}

void arch_vcpu_boot(struct vcpu_arch *a, unsigned int id, uint64_t pc, uint64_t dtb)
{
    if (!a->aarch32) {
        arch_vcpu_reset(a, id, pc, dtb);
        return;
    }
    arch_vcpu_reset(a, id, pc, 0);
    a->regs.x[1] = 0xffffffffUL;
    a->regs.x[2] = dtb;
}
