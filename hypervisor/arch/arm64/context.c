/*
 * Loading and saving a vCPU's EL1 state on the pCPU (vCPU switch).
 * GPRs, ELR/SPSR are saved on every trap by vectors.S; everything here is
 * switched only when a pCPU changes vCPU. ACTLR_EL1 is not switched: guests
 * reach it only through a trap (HCR_EL2.TACR) that ignores writes. The PAuth
 * keys are, when the CPU has PAuth: guests use it directly (HCR_EL2.API/APK).
 * An AArch32 vCPU clears HCR_EL2.RW while it is loaded and has its own few
 * registers switched too (DACR, IFSR, FPEXC, the banked SPSRs).
 */
#include <cloison/arch.h>
#include <cloison/context.h>
#include <cloison/p2m.h>
#include <cloison/percpu.h>
#include <asm/vcpu_arch.h>
#include <asm/cpu.h>
#include <asm/sysreg.h>
#include <cloison/mm.h>
#include <cloison/printk.h>
#include <lib/a32_spsr.h>

#define CNT_CTL_ENABLE BIT(0)
#define CNT_CTL_IMASK BIT(1)

void arch_fp_save(struct fp_regs *fp)
{
    __asm__ volatile("stp q0, q1, [%0, #0]\n stp q2, q3, [%0, #32]\n"
                     "stp q4, q5, [%0, #64]\n stp q6, q7, [%0, #96]\n"
                     "stp q8, q9, [%0, #128]\n stp q10, q11, [%0, #160]\n"
                     "stp q12, q13, [%0, #192]\n stp q14, q15, [%0, #224]\n"
                     "stp q16, q17, [%0, #256]\n stp q18, q19, [%0, #288]\n"
                     "stp q20, q21, [%0, #320]\n stp q22, q23, [%0, #352]\n"
                     "stp q24, q25, [%0, #384]\n stp q26, q27, [%0, #416]\n"
                     "stp q28, q29, [%0, #448]\n stp q30, q31, [%0, #480]\n"
                     :
                     : "r"(fp->q)
                     : "memory");
    fp->fpsr = read_sysreg(fpsr);
    fp->fpcr = read_sysreg(fpcr);
}

void arch_fp_restore(const struct fp_regs *fp)
{
    __asm__ volatile("ldp q0, q1, [%0, #0]\n ldp q2, q3, [%0, #32]\n"
                     "ldp q4, q5, [%0, #64]\n ldp q6, q7, [%0, #96]\n"
                     "ldp q8, q9, [%0, #128]\n ldp q10, q11, [%0, #160]\n"
                     "ldp q12, q13, [%0, #192]\n ldp q14, q15, [%0, #224]\n"
                     "ldp q16, q17, [%0, #256]\n ldp q18, q19, [%0, #288]\n"
                     "ldp q20, q21, [%0, #320]\n ldp q22, q23, [%0, #352]\n"
                     "ldp q24, q25, [%0, #384]\n ldp q26, q27, [%0, #416]\n"
                     "ldp q28, q29, [%0, #448]\n ldp q30, q31, [%0, #480]\n"
                     :
                     : "r"(fp->q)
                     : "memory");
    write_sysreg(fpsr, fp->fpsr);
    write_sysreg(fpcr, fp->fpcr);
}

/* The five 128-bit keys, as lo/hi pairs in APIA, APIB, APDA, APDB, APGA order. */
static void save_pauth(uint64_t k[10])
{
    k[0] = read_sysreg(s3_0_c2_c1_0);
    k[1] = read_sysreg(s3_0_c2_c1_1);
    k[2] = read_sysreg(s3_0_c2_c1_2);
    k[3] = read_sysreg(s3_0_c2_c1_3);
    k[4] = read_sysreg(s3_0_c2_c2_0);
    k[5] = read_sysreg(s3_0_c2_c2_1);
    k[6] = read_sysreg(s3_0_c2_c2_2);
    k[7] = read_sysreg(s3_0_c2_c2_3);
    k[8] = read_sysreg(s3_0_c2_c3_0);
    k[9] = read_sysreg(s3_0_c2_c3_1);
}

static void load_pauth(const uint64_t k[10])
{
    write_sysreg(s3_0_c2_c1_0, k[0]);
    write_sysreg(s3_0_c2_c1_1, k[1]);
    write_sysreg(s3_0_c2_c1_2, k[2]);
    write_sysreg(s3_0_c2_c1_3, k[3]);
    write_sysreg(s3_0_c2_c2_0, k[4]);
    write_sysreg(s3_0_c2_c2_1, k[5]);
    write_sysreg(s3_0_c2_c2_2, k[6]);
    write_sysreg(s3_0_c2_c2_3, k[7]);
    write_sysreg(s3_0_c2_c3_0, k[8]);
    write_sysreg(s3_0_c2_c3_1, k[9]);
}

/* AArch32 EL1's own registers (vcpu_arch.h): only an AArch32 vCPU has them. */
static void save_aarch32(struct el1_sysregs32 *s)
{
    s->dacr = read_sysreg(dacr32_el2);
    s->ifsr = read_sysreg(ifsr32_el2);
    s->fpexc = read_sysreg(fpexc32_el2);
    s->spsr_abt = read_sysreg(spsr_abt);
    s->spsr_und = read_sysreg(spsr_und);
    s->spsr_irq = read_sysreg(spsr_irq);
    s->spsr_fiq = read_sysreg(spsr_fiq);
}

static void load_aarch32(const struct el1_sysregs32 *s)
{
    write_sysreg(dacr32_el2, s->dacr);
    write_sysreg(ifsr32_el2, s->ifsr);
    write_sysreg(fpexc32_el2, s->fpexc);
    write_sysreg(spsr_abt, s->spsr_abt);
    write_sysreg(spsr_und, s->spsr_und);
    write_sysreg(spsr_irq, s->spsr_irq);
    write_sysreg(spsr_fiq, s->spsr_fiq);
}

/*
 * The live SPSR of an AArch32 vCPU's current mode (lib/a32_spsr.c):
 * on a CPU that holds it apart from SPSR_<mode> (QEMU's TCG), carried
 * across vCPU switches and EL2's mode changes by running `msr spsr_fsxc, r0`
 * or `mrs r0, spsr` in that mode at EL1 (a32_tramp.S): stage 1 and 2 off so
 * the two instructions are fetched from their physical address, interrupts
 * routed to EL1 (IMO/FMO/AMO clear) and masked there, so nothing but their
 * HVC ends the run. The TLB entries of the flat EL1 translation are dropped
 * after. Whether the CPU needs it is measured at the first AArch32 entry
 * (live_apart()); a CPU that follows the architecture never runs it again.
 */
extern const uint32_t a32_tramp_set[], a32_tramp_get[];
uint64_t a32_tramp_run(uint64_t r0, uint64_t spsr, uint64_t pc);

#define SCTLR_M BIT(0)
#define EC_HVC32 0x12
#define PROBE_LIVE 0x600001d3U /* SVC mode, Z C flags, AIF */
#define PROBE_BANK 0x900001d3U /* SVC mode, N V flags, AIF */

static int a32_live_apart = -1; /* unknown, 0 or 1: the same on every pCPU */
static uint64_t a32_holder[MAX_PCPUS];
static uint64_t a32_tokens;

static uint32_t a32_tramp(const uint32_t *code, unsigned int mode, uint32_t r0)
{
    uint64_t hcr = read_sysreg(hcr_el2), sctlr = read_sysreg(sctlr_el1);
    write_sysreg(hcr_el2, hcr & ~(HCR_VM | HCR_IMO | HCR_FMO | HCR_AMO | HCR_RW));
    write_sysreg(sctlr_el1, sctlr & ~SCTLR_M);
    isb();
    uint64_t r = a32_tramp_run(r0, mode | PSR_A | PSR_I | PSR_F, virt_to_phys(code));
    write_sysreg(sctlr_el1, sctlr);
    write_sysreg(hcr_el2, hcr);
    isb();
    __asm__ volatile("tlbi vmalls12e1" ::: "memory");
    dsb(nsh);
    isb();
    uint64_t esr = r >> 32;
    if (((esr >> 26) & 0x3f) != EC_HVC32)
        panic("AArch32 SPSR access at EL1 ended by ESR %#lx", (unsigned long)esr);
    return (uint32_t)r;
}

static uint32_t a32_live_get(unsigned int mode)
{
    return a32_tramp(a32_tramp_get, mode, 0);
}

static void a32_live_set(unsigned int mode, uint32_t value)
{
    a32_tramp(a32_tramp_set, mode, value);
}

static uint64_t a32_bank_read(enum a32_spsr_bank b)
{
    switch (b) {
    case A32_SPSR_SVC:
        return read_sysreg(spsr_el1);
    case A32_SPSR_ABT:
        return read_sysreg(spsr_abt);
    case A32_SPSR_UND:
        return read_sysreg(spsr_und);
    case A32_SPSR_IRQ:
        return read_sysreg(spsr_irq);
    case A32_SPSR_FIQ:
        return read_sysreg(spsr_fiq);
    default:
        return 0;
    }
}

static void a32_bank_write(enum a32_spsr_bank b, uint64_t value)
{
    switch (b) {
    case A32_SPSR_SVC:
        write_sysreg(spsr_el1, value);
        break;
    case A32_SPSR_ABT:
        write_sysreg(spsr_abt, value);
        break;
    case A32_SPSR_UND:
        write_sysreg(spsr_und, value);
        break;
    case A32_SPSR_IRQ:
        write_sysreg(spsr_irq, value);
        break;
    case A32_SPSR_FIQ:
        write_sysreg(spsr_fiq, value);
        break;
    default:
        break;
    }
}

static uint64_t a32_new_token(void)
{
    return __atomic_add_fetch(&a32_tokens, 1, __ATOMIC_RELAXED);
}

static const struct a32_spsr_cpu a32_cpu = {
    .live_get = a32_live_get,
    .live_set = a32_live_set,
    .bank_read = a32_bank_read,
    .bank_write = a32_bank_write,
    .new_token = a32_new_token,
};

/*
 * Whether this CPU holds the current mode's SPSR apart from SPSR_<mode>:
 * measured with an AArch32 vCPU loaded (HCR_EL2.RW clear): the live SPSR of
 * SVC mode set to one value, SPSR_EL1 to another, the live one read back.
 * The loaded vCPU's SPSR_EL1 is put back; this pCPU then holds no vCPU's
 * live SPSR.
 */
static bool live_apart(void)
{
    int s = __atomic_load_n(&a32_live_apart, __ATOMIC_RELAXED);
    if (s >= 0)
        return s;
    uint64_t pa = virt_to_phys(a32_tramp_set);
    if (pa + 16 > (1UL << 32)) {
        printk("AArch32: SPSR handling not checked (EL1 code above 4 GiB)\n");
        s = 0;
    } else {
        uint64_t saved = read_sysreg(spsr_el1);
        a32_live_set(A32_MODE_SVC, PROBE_LIVE);
        write_sysreg(spsr_el1, PROBE_BANK);
        isb();
        uint32_t got = a32_live_get(A32_MODE_SVC);
        write_sysreg(spsr_el1, saved);
        isb();
        s = got != PROBE_BANK;
        a32_holder[this_cpu_id()] = 0;
        if (s)
            printk("AArch32: this CPU keeps the current mode's SPSR apart from SPSR_<mode> "
                   "(read %#x, SPSR_EL1 %#x): carried across vCPU switches\n",
                   got, PROBE_BANK);
    }
    __atomic_store_n(&a32_live_apart, s, __ATOMIC_RELAXED);
    return s;
}

void context_entry(struct vcpu_arch *a)
{
    if (!a->aarch32 || !live_apart())
        return;
    a32_spsr_restore(&a32_cpu, &a32_holder[this_cpu_id()], &a->spsr_token, a->regs.spsr);
}

void context_a32_mode_change(struct vcpu_arch *a)
{
    if (a->aarch32 && __atomic_load_n(&a32_live_apart, __ATOMIC_RELAXED) == 1)
        a32_spsr_capture(&a32_cpu, a32_holder[this_cpu_id()], a->spsr_token, a->regs.spsr);
    a->spsr_token = 0;
}

/* HCR_EL2.RW gives EL1's execution state: written only when it changes. */
static void set_el1_width(bool aarch32)
{
    uint64_t hcr = read_sysreg(hcr_el2);
    uint64_t want = aarch32 ? hcr & ~HCR_RW : hcr | HCR_RW;
    if (want != hcr)
        write_sysreg(hcr_el2, want);
}

void context_save(struct vcpu_arch *a)
{
    struct el1_sysregs *s = &a->sys;
    /* The live SPSR into its bank first: the banks are the saved truth. */
    if (a->aarch32 && __atomic_load_n(&a32_live_apart, __ATOMIC_RELAXED) == 1)
        a32_spsr_capture(&a32_cpu, a32_holder[this_cpu_id()], a->spsr_token, a->regs.spsr);
    s->sctlr = read_sysreg(sctlr_el1);
    s->cpacr = read_sysreg(cpacr_el1);
    s->ttbr0 = read_sysreg(ttbr0_el1);
    s->ttbr1 = read_sysreg(ttbr1_el1);
    s->tcr = read_sysreg(tcr_el1);
    s->mair = read_sysreg(mair_el1);
    s->amair = read_sysreg(amair_el1);
    s->vbar = read_sysreg(vbar_el1);
    s->contextidr = read_sysreg(contextidr_el1);
    s->tpidr_el0 = read_sysreg(tpidr_el0);
    s->tpidrro_el0 = read_sysreg(tpidrro_el0);
    s->tpidr_el1 = read_sysreg(tpidr_el1);
    s->sp_el0 = read_sysreg(sp_el0);
    s->sp_el1 = read_sysreg(sp_el1);
    s->elr_el1 = read_sysreg(elr_el1);
    s->spsr_el1 = read_sysreg(spsr_el1);
    s->esr = read_sysreg(esr_el1);
    s->far = read_sysreg(far_el1);
    s->afsr0 = read_sysreg(afsr0_el1);
    s->afsr1 = read_sysreg(afsr1_el1);
    s->par = read_sysreg(par_el1);
    s->cntkctl = read_sysreg(cntkctl_el1);
    s->csselr = read_sysreg(csselr_el1);
    s->mdscr = read_sysreg(mdscr_el1);
    /* The virtual timer: keep its state, and stop it firing for whoever
     * runs next (a descheduled vCPU's timer is a software timer). */
    s->cntv_ctl = read_sysreg(cntv_ctl_el0);
    s->cntv_cval = read_sysreg(cntv_cval_el0);
    write_sysreg(cntv_ctl_el0, 0);
    isb();
    if (cpu_caps.pauth)
        save_pauth(s->pauth_keys);
    if (a->aarch32)
        save_aarch32(&a->sys32);
    arch_fp_save(&a->fp);
}

/*
 * Registers whose write is costly are written only when the pCPU holds
 * another value: the same vCPU back after an idle wait, or another vCPU of
 * the same kernel (same SCTLR, TCR, TTBR1), finds most of them in place.
 * Under QEMU's TCG a TCR_EL1 write flushes the whole software TLB, and
 * SCTLR/TTBR (ASID)/CONTEXTIDR changes do too; on hardware they are
 * context-synchronising writes. Reading first is cheap in both. What the
 * pCPU then holds is exactly the vCPU's value either way: nothing of the
 * previous vCPU remains that the new one could see.
 */
#define write_changed(reg, val)     \
    do {                            \
        uint64_t v_ = (val);        \
        if (read_sysreg(reg) != v_) \
            write_sysreg(reg, v_);  \
    } while (0)

void context_load(struct vcpu_arch *a, struct p2m *p2m, uint64_t cntvoff)
{
    const struct el1_sysregs *s = &a->sys;
    p2m_enter(p2m, this_pcpu()->id); /* VMID + VTTBR_EL2: AT below needs them */
    set_el1_width(a->aarch32);
    write_sysreg(vmpidr_el2, s->vmpidr);
    write_changed(cntvoff_el2, cntvoff);
    write_changed(sctlr_el1, s->sctlr);
    write_changed(cpacr_el1, s->cpacr);
    write_changed(ttbr0_el1, s->ttbr0);
    write_changed(ttbr1_el1, s->ttbr1);
    write_changed(tcr_el1, s->tcr);
    write_sysreg(mair_el1, s->mair);
    write_sysreg(amair_el1, s->amair);
    write_sysreg(vbar_el1, s->vbar);
    write_changed(contextidr_el1, s->contextidr);
    write_sysreg(tpidr_el0, s->tpidr_el0);
    write_sysreg(tpidrro_el0, s->tpidrro_el0);
    write_sysreg(tpidr_el1, s->tpidr_el1);
    write_sysreg(sp_el0, s->sp_el0);
    write_sysreg(sp_el1, s->sp_el1);
    write_sysreg(elr_el1, s->elr_el1);
    write_sysreg(spsr_el1, s->spsr_el1);
    write_sysreg(esr_el1, s->esr);
    write_sysreg(far_el1, s->far);
    write_sysreg(afsr0_el1, s->afsr0);
    write_sysreg(afsr1_el1, s->afsr1);
    write_sysreg(par_el1, s->par);
    write_sysreg(cntkctl_el1, s->cntkctl);
    write_sysreg(csselr_el1, s->csselr);
    write_changed(mdscr_el1, s->mdscr);
    write_sysreg(cntv_cval_el0, s->cntv_cval);
    write_sysreg(cntv_ctl_el0, s->cntv_ctl);
    if (cpu_caps.pauth)
        load_pauth(s->pauth_keys);
    if (a->aarch32)
        load_aarch32(&a->sys32);
    arch_fp_restore(&a->fp);
    isb();
}

/* The loaded VMID's entries on this pCPU only (non-shareable TLBI): a vCPU
 * come from another pCPU must not find what it invalidated there locally. */
void context_tlb_flush_local(void)
{
    dsb(ishst);
    __asm__ volatile("tlbi vmalls12e1" ::: "memory");
    dsb(nsh);
    isb();
}

/* Virtual timer condition of a saved vCPU: enabled, unmasked, deadline in
 * CNTPCT terms (0 if it will not fire). */
uint64_t context_vtimer_deadline(const struct vcpu_arch *a, uint64_t cntvoff)
{
    uint64_t ctl = a->sys.cntv_ctl;
    if (!(ctl & CNT_CTL_ENABLE) || (ctl & CNT_CTL_IMASK))
        return 0;
    return a->sys.cntv_cval + cntvoff;
}

void context_vtimer_mask_saved(struct vcpu_arch *a)
{
    a->sys.cntv_ctl |= CNT_CTL_IMASK;
}

void context_vtimer_mask(void)
{
    write_sysreg(cntv_ctl_el0, read_sysreg(cntv_ctl_el0) | CNT_CTL_IMASK);
    isb();
}
