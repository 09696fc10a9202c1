/*
 * The current mode's SPSR of an AArch32 vCPU across vCPU switches, on CPUs
 * that hold it apart from SPSR_<mode> (lib/a32_spsr.c says why; QEMU's TCG
 * does). Pure logic: arch/arm64/context.c supplies the CPU's side.
 */
#ifndef LIB_A32_SPSR_H
#define LIB_A32_SPSR_H

#include <stdbool.h>
#include <stdint.h>

/* AArch32 modes (PSTATE.M with its AArch32 bit). */
#define A32_MODE_MASK 0x1fU
#define A32_MODE_USR 0x10U
#define A32_MODE_FIQ 0x11U
#define A32_MODE_IRQ 0x12U
#define A32_MODE_SVC 0x13U
#define A32_MODE_ABT 0x17U
#define A32_MODE_HYP 0x1aU
#define A32_MODE_UND 0x1bU
#define A32_MODE_SYS 0x1fU

/* Where EL2 sees a mode's SPSR: A32_SPSR_SVC is SPSR_EL1, the others
 * SPSR_abt/und/irq/fiq. */
enum a32_spsr_bank {
    A32_SPSR_NONE, /* usr/sys: no SPSR */
    A32_SPSR_SVC,
    A32_SPSR_ABT,
    A32_SPSR_UND,
    A32_SPSR_IRQ,
    A32_SPSR_FIQ,
};

/* What the pCPU offers: the live SPSR as code in AArch32 `mode` reads and
 * writes it, the banked registers as EL2 does, and a never-reused token. */
struct a32_spsr_cpu {
    uint32_t (*live_get)(unsigned int mode);
    void (*live_set)(unsigned int mode, uint32_t value);
    uint64_t (*bank_read)(enum a32_spsr_bank b);
    void (*bank_write)(enum a32_spsr_bank b, uint64_t value);
    uint64_t (*new_token)(void);
};

/* The bank holding the SPSR of cpsr's mode (A32_SPSR_NONE for usr/sys). */
enum a32_spsr_bank a32_spsr_bank(uint64_t cpsr);
/* Whether a pCPU that last gave its live SPSR to `holder` holds the live
 * SPSR of the vCPU with `token` (0: none, EL2 changed its state since). */
bool a32_spsr_held(uint64_t holder, uint64_t token);
/* The loaded vCPU (token, in mode cpsr) leaves the CPU or has its mode
 * changed by EL2: if the pCPU holds its live SPSR, into its bank. */
void a32_spsr_capture(const struct a32_spsr_cpu *cpu, uint64_t holder, uint64_t token,
                      uint64_t cpsr);
/* The loaded vCPU enters the guest in mode cpsr: unless the pCPU holds its
 * live SPSR, that SPSR from its bank, and the vCPU becomes the holder with
 * a new token. */
void a32_spsr_restore(const struct a32_spsr_cpu *cpu, uint64_t *holder, uint64_t *token,
                      uint64_t cpsr);

#endif
