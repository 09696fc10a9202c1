/*
 * The guest entry path: load a vCPU's registers and eret into it. Every
 * trap handler ends here (core/sched.c picks the vCPU), on the per-pCPU
 * stack the vectors (vectors.S) start their C handlers on.
 */
#include <asm-offsets.h>

    .text
/* void return_to_guest(struct guest_regs *regs) __noreturn */
    .global return_to_guest
return_to_guest:
    mrs     x1, tpidr_el2
    ldr     x2, [x1, #PCPU_STACK_TOP]
    mov     sp, x2
    ldp     x1, x2, [x0, #REGS_ELR]
    msr     elr_el2, x1
    msr     spsr_el2, x2
    ldp     x2, x3, [x0, #16]
    ldp     x4, x5, [x0, #32]
    ldp     x6, x7, [x0, #48]
    ldp     x8, x9, [x0, #64]
    ldp     x10, x11, [x0, #80]
    ldp     x12, x13, [x0, #96]
    ldp     x14, x15, [x0, #112]
    ldp     x16, x17, [x0, #128]
    ldp     x18, x19, [x0, #144]
    ldp     x20, x21, [x0, #160]
    ldp     x22, x23, [x0, #176]
    ldp     x24, x25, [x0, #192]
    ldp     x26, x27, [x0, #208]
    ldp     x28, x29, [x0, #224]
    ldr     x30, [x0, #240]
    ldp     x0, x1, [x0, #0]
    eret
    dsb     nsh
    isb
