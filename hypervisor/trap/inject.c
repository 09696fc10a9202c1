/*
 * Injecting synchronous exceptions into a guest's EL1, as the hardware would
 * take them: ELR_EL1/SPSR_EL1 get the interrupted context, ESR_EL1/FAR_EL1
 * the syndrome, and the guest resumes at the right offset of VBAR_EL1 with
 * DAIF masked. A guest that faults inside its own vector table (or has none)
 * cannot make progress and is crashed instead of looping for ever.
 */
#include <core/domain.h>
#include <trap/aarch32.h>
#include <trap/traps.h>
#include <core/vcpu.h>
#include <asm/sysreg.h>

#define ESR_EL1_EC_UNKNOWN 0x00
#define ESR_EL1_EC_IABT_LOW 0x20
#define ESR_EL1_EC_IABT_CUR 0x21
#define ESR_EL1_EC_DABT_LOW 0x24
#define ESR_EL1_EC_DABT_CUR 0x25
#define FSC_SYNC_EXT_ABORT 0x10

uint64_t guest_reg(const struct vcpu *v, unsigned int n)
{
    return n >= 31 ? 0 : v->arch.regs.x[n];
}

void set_guest_reg(struct vcpu *v, unsigned int n, uint64_t val)
{
    if (n < 31)
        v->arch.regs.x[n] = val;
}

void advance_pc(struct vcpu *v, uint64_t esr)
{
    v->arch.regs.elr += (esr & ESR_IL) ? 4 : 2;
    /* AArch32: the PC wraps at 4 GiB, and T32 code leaves its IT block. */
    if (v->arch.regs.spsr & PSR_AARCH32) {
        v->arch.regs.elr &= 0xffffffffUL;
        v->arch.regs.spsr = aarch32_it_advance(v->arch.regs.spsr);
    }
}

static bool from_el0(const struct vcpu *v)
{
    return (v->arch.regs.spsr & PSR_MODE_MASK) == PSR_MODE_EL0t ||
           (v->arch.regs.spsr & PSR_AARCH32);
}

static void inject_sync(struct vcpu *v, uint64_t esr, uint64_t far, bool set_far)
{
    uint64_t vbar = read_sysreg(vbar_el1);
    uint64_t spsr = v->arch.regs.spsr;
    uint64_t off;
    if (spsr & PSR_AARCH32)
        off = 0x600;
    else if ((spsr & PSR_MODE_MASK) == PSR_MODE_EL0t)
        off = 0x400;
    else if ((spsr & PSR_MODE_MASK) == PSR_MODE_EL1h)
        off = 0x200;
    else
        off = 0x000;
    /* Faulting on the vector itself: the guest has no working handler. */
    if (!from_el0(v) && v->arch.regs.elr >= vbar && v->arch.regs.elr < vbar + 0x800) {
        domain_crash(v->domain, "fault inside its exception vectors, pc", v->arch.regs.elr);
        return;
    }
    write_sysreg(elr_el1, v->arch.regs.elr);
    write_sysreg(spsr_el1, spsr);
    write_sysreg(esr_el1, esr);
    if (set_far)
        write_sysreg(far_el1, far);
    v->arch.regs.elr = vbar + off;
    v->arch.regs.spsr = PSR_MODE_EL1h | PSR_DAIF;
}

void inject_undef(struct vcpu *v)
{
    if (v->arch.aarch32) {
        inject32_undef(v);
        return;
    }
    inject_sync(v, ((uint64_t)ESR_EL1_EC_UNKNOWN << ESR_EC_SHIFT) | ESR_IL, 0, false);
}

void inject_dabt(struct vcpu *v, uint64_t far)
{
    if (v->arch.aarch32) {
        inject32_abort(v, far, false);
        return;
    }
    uint64_t ec = from_el0(v) ? ESR_EL1_EC_DABT_LOW : ESR_EL1_EC_DABT_CUR;
    inject_sync(v, (ec << ESR_EC_SHIFT) | ESR_IL | FSC_SYNC_EXT_ABORT, far, true);
}

void inject_pabt(struct vcpu *v, uint64_t far)
{
    if (v->arch.aarch32) {
        inject32_abort(v, far, true);
        return;
    }
    uint64_t ec = from_el0(v) ? ESR_EL1_EC_IABT_LOW : ESR_EL1_EC_IABT_CUR;
    inject_sync(v, (ec << ESR_EC_SHIFT) | ESR_IL | FSC_SYNC_EXT_ABORT, far, true);
}
