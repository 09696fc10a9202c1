/*
 * EL2 exception vectors: the guest exit path.
 *
 * Traps from a guest save its GPRs straight into the current vCPU's
 * struct guest_regs (pcpu->cur_regs) and call C on a fresh per-pCPU stack.
 * The C handlers are the trap layer's, reached through the table it
 * registered (cloison/entry.h, arch/arm64/entry.c). They never return:
 * they end in return_to_guest() (guest_entry.S), which reloads a vCPU's
 * registers and erets, so a vCPU switch is just a different struct
 * guest_regs there.
 *
 * Exceptions taken at EL2 itself: IRQs are expected only in the idle loop
 * (handled and returned from); anything synchronous is a Cloison bug and
 * panics with the trap registers.
 */
#include <asm-offsets.h>

    .macro VENTRY label
    .balign 128
    b       \label
    .endm

    .text
    .balign 2048
    .global hyp_vectors
hyp_vectors:
    VENTRY  hyp_bad          /* current EL, SP0: sync */
    VENTRY  hyp_bad          /* irq */
    VENTRY  hyp_bad          /* fiq */
    VENTRY  hyp_bad          /* serror */
    VENTRY  hyp_sync         /* current EL, SPx: sync */
    VENTRY  hyp_irq          /* irq */
    VENTRY  hyp_bad          /* fiq */
    VENTRY  hyp_serror       /* serror */
    VENTRY  guest_sync       /* lower EL, AArch64 */
    VENTRY  guest_irq
    VENTRY  guest_irq        /* fiq: routed like irq (FMO) */
    VENTRY  guest_serror
    VENTRY  guest_sync       /* lower EL, AArch32 */
    VENTRY  guest_irq
    VENTRY  guest_irq
    VENTRY  guest_serror

/* Save the guest's x0-x30, ELR_EL2, SPSR_EL2 into *pcpu->cur_regs; x0 = regs. */
    .macro GUEST_SAVE
    stp     x0, x1, [sp, #-16]!
    mrs     x0, tpidr_el2
    ldr     x0, [x0, #PCPU_CUR_REGS]
    stp     x2, x3, [x0, #16]
    stp     x4, x5, [x0, #32]
    stp     x6, x7, [x0, #48]
    stp     x8, x9, [x0, #64]
    stp     x10, x11, [x0, #80]
    stp     x12, x13, [x0, #96]
    stp     x14, x15, [x0, #112]
    stp     x16, x17, [x0, #128]
    stp     x18, x19, [x0, #144]
    stp     x20, x21, [x0, #160]
    stp     x22, x23, [x0, #176]
    stp     x24, x25, [x0, #192]
    stp     x26, x27, [x0, #208]
    stp     x28, x29, [x0, #224]
    str     x30, [x0, #240]
    ldp     x2, x3, [sp], #16
    stp     x2, x3, [x0, #0]
    mrs     x1, elr_el2
    mrs     x2, spsr_el2
    stp     x1, x2, [x0, #REGS_ELR]
    mov     x29, xzr                /* end of backtrace */
    mov     x30, xzr
    .endm

/* Call the registered handler at offset `off` of entry_handlers (one load,
 * one indirect branch); x1 is free once the registers are saved. */
    .macro CALL_HANDLER off
    adrp    x1, entry_handlers
    ldr     x1, [x1, #:lo12:entry_handlers + \off]
    blr     x1
    .endm

guest_sync:
    GUEST_SAVE
    CALL_HANDLER ENTRY_GUEST_SYNC   /* noreturn */
    b       hyp_bad

guest_irq:
    GUEST_SAVE
    CALL_HANDLER ENTRY_GUEST_IRQ    /* noreturn */
    b       hyp_bad

guest_serror:
    GUEST_SAVE
    CALL_HANDLER ENTRY_GUEST_SERROR /* noreturn */
    b       hyp_bad

/* IRQ while Cloison itself runs (only the idle loop unmasks IRQs): save the
 * caller-saved registers, handle, return. */
hyp_irq:
    sub     sp, sp, #192
    stp     x0, x1, [sp, #0]
    stp     x2, x3, [sp, #16]
    stp     x4, x5, [sp, #32]
    stp     x6, x7, [sp, #48]
    stp     x8, x9, [sp, #64]
    stp     x10, x11, [sp, #80]
    stp     x12, x13, [sp, #96]
    stp     x14, x15, [sp, #112]
    stp     x16, x17, [sp, #128]
    stp     x18, x29, [sp, #144]
    mrs     x0, elr_el2
    mrs     x1, spsr_el2
    stp     x0, x1, [sp, #160]
    str     x30, [sp, #176]
    CALL_HANDLER ENTRY_HYP_IRQ
    ldp     x0, x1, [sp, #160]
    msr     elr_el2, x0
    msr     spsr_el2, x1
    ldr     x30, [sp, #176]
    ldp     x0, x1, [sp, #0]
    ldp     x2, x3, [sp, #16]
    ldp     x4, x5, [sp, #32]
    ldp     x6, x7, [sp, #48]
    ldp     x8, x9, [sp, #64]
    ldp     x10, x11, [sp, #80]
    ldp     x12, x13, [sp, #96]
    ldp     x14, x15, [sp, #112]
    ldp     x16, x17, [sp, #128]
    ldp     x18, x29, [sp, #144]
    add     sp, sp, #192
    eret

/* Synchronous exception or SError in Cloison: a bug. Pass the frame pointer
 * and link register at the time of the fault for the backtrace. */
hyp_sync:
    mov     x0, #0
    b       hyp_fatal
hyp_serror:
    mov     x0, #1
    b       hyp_fatal
hyp_bad:
    mov     x0, #2
hyp_fatal:
    mov     x1, x29
    mov     x2, x30
    mov     x3, sp
    bl      hyp_fatal_entry
5:  wfe
    b       5b
