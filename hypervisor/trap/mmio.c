/*
 * Emulated MMIO: decode a stage-2 data abort (ESR ISS with ISV set gives size,
 * register and direction) and hand it to the handler of the domain's MMIO
 * window holding the IPA (core/domain_mmio.h: the devices registered them).
 * An access we cannot decode (ISV clear, e.g. a load/store pair) to an
 * emulated device is refused with an abort, never guessed.
 */
#include <core/domain.h>
#include <core/domain_mmio.h>
#include <trap/aarch32.h>
#include <trap/trapcount.h>
#include <trap/traps.h>
#include <core/vcpu.h>
#include <asm/sysreg.h>

#define ISS_ISV BIT(24)
#define ISS_SAS(iss) (((iss) >> 22) & 3)
#define ISS_SSE BIT(21)
#define ISS_SRT(iss) (((iss) >> 16) & 0x1f)
#define ISS_SF BIT(15)
#define ISS_WNR BIT(6)

bool mmio_dispatch(struct vcpu *v, uint64_t esr, uint64_t ipa)
{
    uint64_t iss = ESR_ISS(esr);
    const struct mmio_window *w = domain_mmio_find(v->domain, ipa);
    if (!w)
        return false;
    if (trapcount_on)
        trapcount((uint16_t)v->domain->id, TCC_MMIO, (uint32_t)(w->base >> 12));
    if (!(iss & ISS_ISV)) {
        inject_dabt(v, read_sysreg(far_el2));
        return true;
    }
    unsigned int size = 1U << ISS_SAS(iss);
    unsigned int rt = aarch32_esr_reg(v->arch.regs.spsr, ISS_SRT(iss));
    bool write = iss & ISS_WNR;
    uint64_t val = write ? guest_reg(v, rt) : 0;
    if (write && size < 8)
        val &= (1UL << (size * 8)) - 1;
    enum mmio_result r = w->fn(v, ipa, size, write, &val, w->opaque);
    if (r == MMIO_ABORT || r == MMIO_UNHANDLED) {
        inject_dabt(v, read_sysreg(far_el2));
        return true;
    }
    if (!write) {
        if (v->arch.regs.spsr & PSR_AARCH32)
            iss &= ~ISS_SF; /* 32-bit registers */
        if ((iss & ISS_SSE) && size < 8 && (val & (1UL << (size * 8 - 1))))
            val |= ~((1UL << (size * 8)) - 1);
        if (!(iss & ISS_SF))
            val &= 0xffffffffUL;
        set_guest_reg(v, rt, val);
    }
    advance_pc(v, esr);
    return true;
}
