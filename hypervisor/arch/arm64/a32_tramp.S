/*
 * Two AArch32 instructions run at EL1 for EL2: write or read the SPSR of the
 * mode they run in, then HVC back (arch/arm64/context.c: the current mode's
 * SPSR of an AArch32 vCPU, on CPUs that hold it apart from SPSR_<mode>).
 *
 * uint64_t a32_tramp_run(uint64_t r0, uint64_t spsr, uint64_t pc)
 *   erets to AArch32 EL1 at pc (a physical address below 4 GiB: the caller
 *   has stage 1 and stage 2 off and interrupts routed to EL1 and masked)
 *   with r0 and PSTATE spsr; the exception that ends it comes to
 *   a32_tramp_vectors (VBAR_EL2 meanwhile), which returns to the caller
 *   ESR_EL2 in the upper half and r0 in the lower. Every general register
 *   may come back with its upper half cleared (AArch32 has only the lower):
 *   the callee-saved ones, x18 and the EL2 state the eret and the exception
 *   overwrite (ELR, SPSR, VBAR, DAIF) are kept on the stack, which AArch32
 *   code cannot reach (SP_EL2).
 */
    .text
    .balign 8
    .global a32_tramp_set, a32_tramp_get
a32_tramp_set:
    .word   0xe16ff000              /* msr spsr_fsxc, r0 */
    .word   0xe1400070              /* hvc #0 */
a32_tramp_get:
    .word   0xe14f0000              /* mrs r0, spsr */
    .word   0xe1400070              /* hvc #0 */

    .global a32_tramp_run
a32_tramp_run:
    stp     x29, x30, [sp, #-144]!
    mov     x29, sp
    stp     x18, x19, [sp, #16]
    stp     x20, x21, [sp, #32]
    stp     x22, x23, [sp, #48]
    stp     x24, x25, [sp, #64]
    stp     x26, x27, [sp, #80]
    str     x28, [sp, #96]
    mrs     x3, vbar_el2
    mrs     x4, elr_el2
    stp     x3, x4, [sp, #104]
    mrs     x3, spsr_el2
    mrs     x4, daif
    stp     x3, x4, [sp, #120]
    adr     x3, a32_tramp_vectors
    msr     vbar_el2, x3
    msr     elr_el2, x2
    msr     spsr_el2, x1
    isb
    eret
    dsb     nsh
    isb

a32_tramp_back:
    mrs     x1, esr_el2
    mov     w0, w0                  /* r0: the lower half */
    orr     x0, x0, x1, lsl #32
    ldp     x3, x4, [sp, #104]
    msr     vbar_el2, x3
    msr     elr_el2, x4
    ldp     x3, x4, [sp, #120]
    msr     spsr_el2, x3
    msr     daif, x4
    isb
    ldp     x18, x19, [sp, #16]
    ldp     x20, x21, [sp, #32]
    ldp     x22, x23, [sp, #48]
    ldp     x24, x25, [sp, #64]
    ldp     x26, x27, [sp, #80]
    ldr     x28, [sp, #96]
    ldp     x29, x30, [sp], #144
    ret

/* Exceptions from EL2 itself go where they always go (hyp_vectors); any
 * from the lower EL end the run. */
    .macro TRAMP_VENTRY target
    .balign 128
    b       \target
    .endm

    .balign 2048
a32_tramp_vectors:
    TRAMP_VENTRY hyp_vectors + 0x000
    TRAMP_VENTRY hyp_vectors + 0x080
    TRAMP_VENTRY hyp_vectors + 0x100
    TRAMP_VENTRY hyp_vectors + 0x180
    TRAMP_VENTRY hyp_vectors + 0x200
    TRAMP_VENTRY hyp_vectors + 0x280
    TRAMP_VENTRY hyp_vectors + 0x300
    TRAMP_VENTRY hyp_vectors + 0x380
    TRAMP_VENTRY a32_tramp_back
    TRAMP_VENTRY a32_tramp_back
    TRAMP_VENTRY a32_tramp_back
    TRAMP_VENTRY a32_tramp_back
    TRAMP_VENTRY a32_tramp_back
    TRAMP_VENTRY a32_tramp_back
    TRAMP_VENTRY a32_tramp_back
    TRAMP_VENTRY a32_tramp_back
