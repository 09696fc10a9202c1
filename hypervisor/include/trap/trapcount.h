/*
 * Trap counts by class and detail, per domain (trap/trapcount.c): what a
 * guest made Cloison do — WFI/WFE, system registers by encoding, MMIO by
 * window, hypercalls by number, SMCCC calls by function, physical
 * interrupts by INTID, aborts. For finding avoidable exits (DESIGN.md,
 * "Entry and exit path"); printed by the 't' debug key and when a domain is
 * destroyed.
 *
 * Each pCPU counts in its own table (no lock, no atomic: only that pCPU
 * writes it, with IRQs masked), keyed by (domain, class, detail); the
 * readers sum the pCPUs' tables racily, which is fine for a statistic.
 */
#ifndef TRAP_TRAPCOUNT_H
#define TRAP_TRAPCOUNT_H
#include <cloison/types.h>

enum trapcount_class {
    TCC_WFI = 1,
    TCC_WFE,
    TCC_SYSREG, /* detail: ESR ISS with Rt cleared (encoding and direction) */
    TCC_MMIO,   /* detail: the emulated window's base >> 12 */
    TCC_DABT,   /* stage-2 data abort outside the windows: 0 retried, 1 injected */
    TCC_IABT,
    TCC_HVC,   /* Xen hypercall; detail: its number */
    TCC_SMCCC, /* PSCI and other SMCCC calls (HVC #0, SMC); detail: function id */
    TCC_IRQ,   /* physical interrupt while a guest ran; detail: INTID */
    TCC_UNDEF, /* any other exit; detail: the exception class */
    TCC_SERROR,
    TCC_NR
};

/* Set at boot (the `trapcount` option): callers test it first, so counting
 * off costs a load and a branch per exit. */
extern bool trapcount_on;
/* Count one exit of the running vCPU's domain (with counting on). */
void trapcount(uint16_t domid, unsigned int cls, uint32_t detail);
/* Boot, once: register the debug keys, the interrupt observer and the
 * destroy-time report. on: the `trapcount` boot option. */
void trapcount_init(bool on);

#endif
