/*
 * Guest traps: the lower-EL vectors land here. Synchronous exceptions are
 * dispatched on ESR_EL2.EC through a table; every handler ends with the
 * guest resuming (possibly with an injected exception) or with its domain
 * crashed. Nothing a guest does reaches panic().
 */
#include <core/domain.h>
#include <xen/hypercall.h>
#include <cloison/entry.h>
#include <drivers/irqchip.h>
#include <cloison/printk.h>
#include <core/sched.h>
#include <trap/traps.h>
#include <core/vcpu.h>
#include <trap/vpsci.h>
#include <vdev/vgic.h>
#include <asm/sysreg.h>

typedef void (*trap_fn)(struct vcpu *v, uint64_t esr);

static void trap_undef(struct vcpu *v, uint64_t esr)
{
    guest_log(v, "unhandled trap (ESR 0x%lx) at pc 0x%lx: undefined instruction injected", esr,
              v->arch.regs.elr);
    inject_undef(v);
}

static void trap_wfx(struct vcpu *v, uint64_t esr)
{
    advance_pc(v, esr);
    if (esr & 1) /* WFE: give others a turn */
        vcpu_yield(v);
    else
        vcpu_block(v);
}

static void trap_hvc(struct vcpu *v, uint64_t esr)
{
    uint32_t imm = esr & 0xffff;
    /* ELR already points after the HVC. */
    if (imm == XEN_HYPERCALL_TAG)
        hypercall_dispatch(v);
    else if (imm == 0)
        smccc_dispatch(v);
    else
        inject_undef(v);
}

static void trap_smc(struct vcpu *v, uint64_t esr)
{
    /* A trapped SMC's ELR points at the SMC itself. */
    advance_pc(v, esr);
    smccc_dispatch(v);
}

static void trap_dabt(struct vcpu *v, uint64_t esr)
{
    uint64_t far = read_sysreg(far_el2);
    uint64_t ipa = ((read_sysreg(hpfar_el2) & 0x00000ffffffffff0UL) << 8) | (far & 0xfff);
    if (mmio_dispatch(v, esr, ipa))
        return;
    /* Outside RAM and every emulated device: an external abort, as Xen. */
    guest_log(v, "data abort at IPA 0x%lx (pc 0x%lx): outside its memory, abort injected", ipa,
              v->arch.regs.elr);
    inject_dabt(v, far);
}

static void trap_iabt(struct vcpu *v, uint64_t esr)
{
    (void)esr;
    guest_log(v, "instruction fetch from 0x%lx: outside its memory", read_sysreg(far_el2));
    inject_pabt(v, read_sysreg(far_el2));
}

static void trap_serror(struct vcpu *v, uint64_t esr)
{
    (void)esr;
    domain_crash(v->domain, "SError", v->arch.regs.elr);
}

static const trap_fn ec_table[64] = {
    [EC_WFX] = trap_wfx,       [EC_HVC64] = trap_hvc,     [EC_HVC32] = trap_hvc,
    [EC_SMC64] = trap_smc,     [EC_SMC32] = trap_smc,     [EC_SYSREG] = trap_sysreg,
    [EC_DABT_LOW] = trap_dabt, [EC_IABT_LOW] = trap_iabt, [EC_SERROR] = trap_serror,
};

static __noreturn void guest_sync_entry(struct guest_regs *regs)
{
    (void)regs;
    struct vcpu *v = current_vcpu();
    uint64_t esr = read_sysreg(esr_el2);
    v->nr_traps++;
    vgic_sync(v);
    trap_fn fn = ec_table[ESR_EC(esr)];
    (fn ? fn : trap_undef)(v, esr);
    sched_return_to_guest();
}

static __noreturn void guest_irq_entry(struct guest_regs *regs)
{
    (void)regs;
    struct vcpu *v = current_vcpu();
    vgic_sync(v);
    irqchip_handle_all();
    sched_return_to_guest();
}

static __noreturn void guest_serror_entry(struct guest_regs *regs)
{
    (void)regs;
    struct vcpu *v = current_vcpu();
    vgic_sync(v);
    domain_crash(v->domain, "SError", v->arch.regs.elr);
    sched_return_to_guest();
}

static void hyp_irq_entry(void)
{
    irqchip_handle_all();
}

void traps_init(void)
{
    static const struct entry_handlers handlers = {
        .guest_sync = guest_sync_entry,
        .guest_irq = guest_irq_entry,
        .guest_serror = guest_serror_entry,
        .hyp_irq = hyp_irq_entry,
    };
    entry_set_handlers(&handlers);
}
