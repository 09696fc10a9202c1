/*
 * Keeping an AArch32 vCPU's SPSR of its current mode where the guest reads it,
 * on a CPU that holds that SPSR apart from the SPSR_<mode> register EL2 sees
 * (pure logic, unit-tested on the host; arch/arm64/context.c supplies the
 * CPU's side). Architecturally SPSR_svc is SPSR_EL1, SPSR_abt is SPSR_abt
 * and so on, in every mode: EL2 switching them switches the guest's SPSRs.
 * QEMU's TCG instead keeps the SPSR of the mode the AArch32 code runs in in
 * a field of its own, copies it to and from the banked registers only when
 * the AArch32 code changes mode itself, and neither on an exception to
 * AArch64 EL2 nor on the return from it. So on such a CPU the SPSR a vCPU
 * left in its current mode stays on the pCPU, and the next AArch32 vCPU that
 * runs there in a mode with an SPSR finds it as its own: an exception return
 * (Linux's `msr spsr_cxsf, rX` then `ldm sp, {..pc}^`) interrupted by an exit
 * between the two instructions and resumed on another pCPU, or after another
 * AArch32 vCPU ran on this one, returns to the other vCPU's mode and state.
 *
 * The protocol: a pCPU records which vCPU's live SPSR it holds (`holder`, a
 * token the vCPU got when it was given it; tokens are never reused, so a
 * freed vCPU's token matches no new one). Before a vCPU enters the guest,
 * unless the pCPU holds its live SPSR already, that SPSR is loaded from its
 * banked register (restore). Before EL2 reads the banked registers as the
 * vCPU's truth (the switch-out) or changes its mode (an injected
 * exception), the live SPSR is copied back to the banked register of the
 * mode the vCPU is in, if the pCPU holds it (capture). EL2 changing a vCPU's
 * mode or SPSRs (injection, reset, setvcpucontext) drops its token. Usr and
 * Sys modes have no SPSR: nothing to copy, the CPU loads the live one from
 * the banks at the guest's next mode change.
 */
#include <lib/a32_spsr.h>

enum a32_spsr_bank a32_spsr_bank(uint64_t cpsr)
{
    switch ((unsigned int)cpsr & A32_MODE_MASK) {
    case A32_MODE_FIQ:
        return A32_SPSR_FIQ;
    case A32_MODE_IRQ:
        return A32_SPSR_IRQ;
    case A32_MODE_SVC:
        return A32_SPSR_SVC;
    case A32_MODE_ABT:
        return A32_SPSR_ABT;
    case A32_MODE_UND:
        return A32_SPSR_UND;
    default: /* usr, sys (no SPSR); hyp, mon and bad modes are never a guest's */
        return A32_SPSR_NONE;
    }
}

bool a32_spsr_held(uint64_t holder, uint64_t token)
{
    return token && holder == token;
}

void a32_spsr_capture(const struct a32_spsr_cpu *cpu, uint64_t holder, uint64_t token,
                      uint64_t cpsr)
{
    enum a32_spsr_bank b = a32_spsr_bank(cpsr);
    if (!a32_spsr_held(holder, token) || b == A32_SPSR_NONE)
        return;
    cpu->bank_write(b, cpu->live_get((unsigned int)cpsr & A32_MODE_MASK));
}

void a32_spsr_restore(const struct a32_spsr_cpu *cpu, uint64_t *holder, uint64_t *token,
                      uint64_t cpsr)
{
    if (a32_spsr_held(*holder, *token))
        return;
    enum a32_spsr_bank b = a32_spsr_bank(cpsr);
    if (b != A32_SPSR_NONE)
        cpu->live_set((unsigned int)cpsr & A32_MODE_MASK, (uint32_t)cpu->bank_read(b));
    *token = cpu->new_token();
    *holder = *token;
}
