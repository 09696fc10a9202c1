/*
 * Guest traps: the lower-EL vectors land here. Synchronous exceptions are
 * dispatched on ESR_EL2.EC through a table; every handler ends with the
 * guest resuming (possibly with an injected exception) or with its domain
 * crashed. Nothing a guest does reaches panic().
 */
#include <core/domain.h>
#include <xen/hypercall.h>
#include <cloison/arch.h>
#include <cloison/entry.h>
#include <drivers/irqchip.h>
#include <cloison/percpu.h>
#include <cloison/printk.h>
#include <core/sched.h>
#include <core/stretch.h>
#include <lib/printf.h>
#include <public/xen.h>
#include <trap/aarch32.h>
#include <trap/trapcount.h>
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
    bool run = aarch32_cond_passed(esr, v->arch.regs.spsr); /* AArch32: may be conditional */
    advance_pc(v, esr);
    if (!run)
        return;
    if (esr & 1) { /* WFE: give others a turn */
        vcpu_yield(v);
        /* The guest is spin-waiting: pass the hint on (arch.h). Under
         * QEMU's one-thread TCG (-icount) a WFE that traps is otherwise no
         * reason to move to the CPU the guest waits for. */
        arch_cpu_relax();
    } else
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

/* The IPA of a stage-2 abort: HPFAR_EL2 holds its page, FAR_EL2 the offset. */
static uint64_t fault_ipa(uint64_t far)
{
    return ((read_sysreg(hpfar_el2) & 0x00000ffffffffff0UL) << 8) | (far & 0xfff);
}

/*
 * A stage-2 translation fault on an IPA that is mapped by now: another pCPU
 * was in the middle of break-before-make on its entry (a block being split
 * for ballooning or add_to_physmap, a page being replaced). The writer holds
 * the p2m lock from the break to the make, and p2m_lookup takes it, so
 * "mapped" here means the make is done: the guest retries the access (Xen:
 * p2m_resolve_translation_fault). Anything else is the guest's own fault.
 */
static bool s2_fault_resolved(struct vcpu *v, uint64_t esr, uint64_t ipa)
{
    if ((esr & ESR_FSC_TYPE_MASK) != ESR_FSC_TRANSLATION)
        return false;
    paddr_t pa;
    enum p2m_type t;
    if (!p2m_lookup(&v->domain->p2m, ipa & ~(uint64_t)(PAGE_SIZE - 1), &pa, &t))
        return false;
    v->nr_s2_retries++;
    return true;
}

static void trap_dabt(struct vcpu *v, uint64_t esr)
{
    uint64_t far = read_sysreg(far_el2);
    uint64_t ipa = fault_ipa(far);
    if (mmio_dispatch(v, esr, ipa)) /* counted there, by window */
        return;
    bool retry = s2_fault_resolved(v, esr, ipa);
    if (trapcount_on)
        trapcount((uint16_t)v->domain->id, TCC_DABT, retry ? 0 : 1);
    if (retry)
        return;
    /* Outside RAM and every emulated device: an external abort, as Xen. */
    guest_log(v,
              "data abort at IPA 0x%lx (pc 0x%lx, ESR 0x%lx): outside its memory, abort injected",
              ipa, v->arch.regs.elr, esr);
    inject_dabt(v, far);
}

static void trap_iabt(struct vcpu *v, uint64_t esr)
{
    uint64_t far = read_sysreg(far_el2);
    if (s2_fault_resolved(v, esr, fault_ipa(far)))
        return;
    guest_log(v, "instruction fetch from 0x%lx: outside its memory", far);
    inject_pabt(v, far);
}

static void trap_serror(struct vcpu *v, uint64_t esr)
{
    (void)esr;
    domain_crash(v->domain, "SError", v->arch.regs.elr);
}

static const trap_fn ec_table[64] = {
    [EC_WFX] = trap_wfx,
    [EC_HVC64] = trap_hvc,
    [EC_HVC32] = trap_hvc32,
    [EC_SMC64] = trap_smc,
    [EC_SMC32] = trap_smc32,
    [EC_SYSREG] = trap_sysreg,
    [EC_DABT_LOW] = trap_dabt,
    [EC_IABT_LOW] = trap_iabt,
    [EC_SERROR] = trap_serror,
    /* From AArch32 (trap/aarch32_sysreg.c) */
    [EC_CP15_32] = trap_cp15_32,
    [EC_CP15_64] = trap_cp15_64,
    [EC_CP14_32] = trap_cp14_32,
    [EC_CP14_LS] = trap_cp14_ls,
    [EC_CP10_ID] = trap_cp10_id,
    [EC_CP14_64] = trap_cp14_64,
};

/* Classes of the EL2 stretch statistic (core/stretch.h): what was taken. */
enum {
    TC_IRQ = STRETCH_FIRST_TRAP, /* a physical interrupt while a guest ran */
    TC_HYP_IRQ,                  /* a physical interrupt in the idle loop */
    TC_SERROR,
    TC_WFI,
    TC_WFE,
    TC_SYSREG,
    TC_MMIO, /* stage-2 data abort: emulated MMIO, or an injected abort */
    TC_IABT,
    TC_SMCCC, /* PSCI and other SMCCC calls, over HVC #0 or SMC */
    TC_UNDEF, /* any other exception class, a bad HVC immediate */
    TC_HVC_OTHER,
    TC_HVC = 16, /* + the Xen hypercall number */
    TC_END = TC_HVC + XEN_NR_HYPERCALLS,
};
_Static_assert(TC_HVC_OTHER < TC_HVC && TC_END <= STRETCH_CLASSES, "stretch classes fit");

static const char *class_names[TC_END] = {
    [TC_IRQ] = "irq",
    [TC_HYP_IRQ] = "idle-irq",
    [TC_SERROR] = "serror",
    [TC_WFI] = "wfi",
    [TC_WFE] = "wfe",
    [TC_SYSREG] = "sysreg",
    [TC_MMIO] = "mmio",
    [TC_IABT] = "iabt",
    [TC_SMCCC] = "smccc",
    [TC_UNDEF] = "undef",
    [TC_HVC_OTHER] = "hvc.other",
};
static char hvc_names[XEN_NR_HYPERCALLS][32];

/* "hvc.<name>" for every hypercall the Xen layer serves; boot, once. */
static void name_classes(void)
{
    for (unsigned int nr = 0; nr < XEN_NR_HYPERCALLS; nr++) {
        const char *name = hypercall_name(nr);
        if (!name)
            continue;
        snprintf(hvc_names[nr], sizeof(hvc_names[nr]), "hvc.%s", name);
        class_names[TC_HVC + nr] = hvc_names[nr];
    }
    stretch_set_names(class_names, TC_END);
}

static unsigned int hvc_class(uint64_t nr)
{
    return nr < XEN_NR_HYPERCALLS ? TC_HVC + (unsigned int)nr : TC_HVC_OTHER;
}

static unsigned int sync_class(const struct vcpu *v, uint64_t esr)
{
    /* Xen hypercalls first: the hot exits, before the switch's compares. */
    if (ESR_EC(esr) == EC_HVC64 && (esr & 0xffff) == XEN_HYPERCALL_TAG)
        return hvc_class(v->arch.regs.x[16]);
    if (ESR_EC(esr) == EC_HVC32 && (esr & 0xffff) == XEN_HYPERCALL_TAG)
        return hvc_class((uint32_t)v->arch.regs.x[12]);
    switch (ESR_EC(esr)) {
    case EC_HVC64:
    case EC_HVC32:
        return (esr & 0xffff) == 0 ? TC_SMCCC : TC_UNDEF;
    case EC_SMC64:
    case EC_SMC32:
        return TC_SMCCC;
    case EC_WFX:
        return esr & 1 ? TC_WFE : TC_WFI;
    case EC_SYSREG:
    case EC_CP15_32:
    case EC_CP15_64:
    case EC_CP14_32:
    case EC_CP14_LS:
    case EC_CP10_ID:
    case EC_CP14_64:
        return TC_SYSREG;
    case EC_DABT_LOW:
        return TC_MMIO;
    case EC_IABT_LOW:
        return TC_IABT;
    case EC_SERROR:
        return TC_SERROR;
    default:
        return TC_UNDEF;
    }
}

/* The trap counts' class and detail of a synchronous exit; data aborts are
 * counted where they are told apart (mmio.c, trap_dabt). */
static void count_sync(const struct vcpu *v, uint64_t esr)
{
    uint16_t id = (uint16_t)v->domain->id;
    switch (ESR_EC(esr)) {
    case EC_WFX:
        trapcount(id, esr & 1 ? TCC_WFE : TCC_WFI, 0);
        break;
    case EC_SYSREG: /* Rt cleared: one count per register and direction */
        trapcount(id, TCC_SYSREG, (uint32_t)(ESR_ISS(esr) & ~(0x1fUL << 5)));
        break;
    case EC_CP15_32: /* AArch32: the same, tagged with the class (CV/COND cleared) */
    case EC_CP15_64:
    case EC_CP14_32:
    case EC_CP14_LS:
    case EC_CP10_ID:
    case EC_CP14_64:
        trapcount(id, TCC_SYSREG,
                  (uint32_t)(ESR_EC(esr) << 25) | (uint32_t)(ESR_ISS(esr) & 0xffc1fUL));
        break;
    case EC_HVC64:
    case EC_HVC32:
        if ((esr & 0xffff) == XEN_HYPERCALL_TAG)
            trapcount(id, TCC_HVC, (uint32_t)v->arch.regs.x[ESR_EC(esr) == EC_HVC32 ? 12 : 16]);
        else
            trapcount(id, (esr & 0xffff) == 0 ? TCC_SMCCC : TCC_UNDEF,
                      (esr & 0xffff) == 0 ? (uint32_t)v->arch.regs.x[0] : ESR_EC(esr));
        break;
    case EC_SMC64:
    case EC_SMC32:
        trapcount(id, TCC_SMCCC, (uint32_t)v->arch.regs.x[0]);
        break;
    case EC_IABT_LOW:
        trapcount(id, TCC_IABT, 0);
        break;
    case EC_SERROR:
        trapcount(id, TCC_SERROR, 0);
        break;
    case EC_DABT_LOW:
        break;
    default:
        trapcount(id, TCC_UNDEF, ESR_EC(esr));
    }
}

/*
 * A call that leaves nothing for the exit path (core/sched.h: the fast
 * exit): run it here, and true; it was run whichever exit follows. Xen
 * hypercalls the Xen layer marks fast (it runs them itself), and the SMCCC
 * and PSCI queries over HVC #0; anything else false, nothing done.
 */
static bool fast_call(struct vcpu *v, uint64_t esr)
{
    uint32_t imm = esr & 0xffff;
    if (ESR_EC(esr) == EC_HVC64) {
        if (imm == XEN_HYPERCALL_TAG)
            return hypercall_fast(v);
        if (imm != 0 || !smccc_is_query((uint32_t)v->arch.regs.x[0]))
            return false;
        smccc_dispatch(v);
        return true;
    }
    if (ESR_EC(esr) == EC_HVC32) {
        if (imm == XEN_HYPERCALL_TAG) {
            /* r12 of its mode: aarch32_reg_index(mode, 12), without the call */
            bool fiq = ((unsigned int)v->arch.regs.spsr & PSR32_MODE_MASK) == PSR32_MODE_FIQ;
            return hypercall_fast32(v, fiq ? 12 + 16 : 12);
        }
        if (imm != 0 || !smccc_is_query((uint32_t)v->arch.regs.x[0]))
            return false;
        trap_hvc32(v, esr); /* the SMCCC call, its arguments' upper halves cleared */
        return true;
    }
    return false;
}

/*
 * The list registers are folded only on the full path: a fast call neither
 * reads nor changes the vGIC, so what the guest did with them is seen at
 * its next full exit, as if it had not trapped at all.
 */
static __noreturn void guest_sync_entry(struct guest_regs *regs)
{
    (void)regs;
    struct vcpu *v = this_pcpu()->current;
    uint64_t esr = read_sysreg(esr_el2);
    stretch_begin(sync_class(v, esr), (uint16_t)v->domain->id);
    if (trapcount_on)
        count_sync(v, esr);
    v->nr_traps++;
    if (fast_call(v, esr)) {
        sched_resume_if_quiet();
        vgic_sync(v); /* not quiet: something wants the full pass */
    } else {
        vgic_sync(v);
        trap_fn fn = ec_table[ESR_EC(esr)];
        (fn ? fn : trap_undef)(v, esr);
    }
    sched_return_to_guest();
}

static __noreturn void guest_irq_entry(struct guest_regs *regs)
{
    (void)regs;
    struct vcpu *v = current_vcpu();
    stretch_begin(TC_IRQ, (uint16_t)v->domain->id);
    vgic_sync(v);
    irqchip_handle_all();
    sched_return_to_guest();
}

static __noreturn void guest_serror_entry(struct guest_regs *regs)
{
    (void)regs;
    struct vcpu *v = current_vcpu();
    stretch_begin(TC_SERROR, (uint16_t)v->domain->id);
    vgic_sync(v);
    domain_crash(v->domain, "SError", v->arch.regs.elr);
    sched_return_to_guest();
}

/* Only the idle loop opens IRQs at EL2, so no stretch is open here. */
static void hyp_irq_entry(void)
{
    stretch_begin(TC_HYP_IRQ, STRETCH_NO_DOMAIN);
    irqchip_handle_all();
    stretch_end();
}

void traps_init(void)
{
    static const struct entry_handlers handlers = {
        .guest_sync = guest_sync_entry,
        .guest_irq = guest_irq_entry,
        .guest_serror = guest_serror_entry,
        .hyp_irq = hyp_irq_entry,
    };
    name_classes();
    entry_set_handlers(&handlers);
}
