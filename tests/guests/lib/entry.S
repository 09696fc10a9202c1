/*
 * Guest entry: the arm64 Image header, boot and secondary-CPU entry, and the
 * EL1 vector table. Everything else is C (lib/ C files).
 */
#include "guest_asm.h"

/* PC-relative address of a symbol anywhere within +-4 GiB. */
.macro adr_l reg, sym
    adrp    \reg, \sym
    add     \reg, \reg, :lo12:\sym
.endm

    .section .text.head, "ax"
    .globl _head_code
_head_code:
    /* arm64 Image header (Documentation/arch/arm64/booting.rst layout). */
    b       boot_entry              /* code0 */
    .long   0                       /* code1 */
    .quad   GUEST_TEXT_OFFSET       /* text_offset */
    .quad   _image_size             /* image_size, includes BSS */
    .quad   0x2                     /* flags: LE, 4 KiB pages, fixed placement */
    .quad   0, 0, 0                 /* res2..res4 */
    .ascii  "ARM\x64"               /* magic */
    .long   0                       /* res5 */

    .text
/* Boot vCPU: x0 = DTB IPA. */
boot_entry:
    mov     x19, x0
    mov     x0, #0
    bl      cpu_setup
    /* Zero BSS; it holds the stacks, so only after we are done using none. */
    adr_l   x1, _bss_start
    adr_l   x2, _bss_end
1:  cmp     x1, x2
    b.hs    2f
    stp     xzr, xzr, [x1], #16
    b       1b
2:  mov     x0, #0
    bl      set_stack
    mov     x0, x19
    bl      guest_boot
    b       park

/* Secondary vCPU started by PSCI CPU_ON: x0 = context id. */
    .globl secondary_entry
secondary_entry:
    mov     x19, x0
    bl      cpu_setup
    mrs     x0, mpidr_el1
    and     x0, x0, #(GUEST_MAX_CPUS - 1)
    bl      set_stack
    mov     x0, x19
    bl      guest_secondary
    b       park

/* Enable FP/SIMD (libfdt uses it) and install the vectors. Leaf, no stack. */
cpu_setup:
    mov     x1, #(3 << 20)          /* CPACR_EL1.FPEN = 0b11: no FP traps */
    msr     cpacr_el1, x1
    adr_l   x1, vectors
    msr     vbar_el1, x1
    isb
    ret

/* sp = top of stack number x0. Leaf. */
set_stack:
    adr_l   x1, guest_stacks
    add     x0, x0, #1
    lsl     x0, x0, #GUEST_STACK_SHIFT
    add     sp, x1, x0
    ret

park:
    msr     daifset, #0xf
1:  wfi
    b       1b

/*
 * Vector table. Each entry saves x0/x1, loads its index and joins
 * trap_common, which saves the frame (struct trap_frame) and calls
 * trap_dispatch(index, frame).
 */
.macro ventry idx
    .balign 0x80
    sub     sp, sp, #FRAME_SIZE
    stp     x0, x1, [sp, #0]
    mov     x0, #\idx
    b       trap_common
.endm

    .balign 0x800
vectors:
    ventry 0
    ventry 1
    ventry 2
    ventry 3
    ventry 4
    ventry 5
    ventry 6
    ventry 7
    ventry 8
    ventry 9
    ventry 10
    ventry 11
    ventry 12
    ventry 13
    ventry 14
    ventry 15

trap_common:
    stp     x2, x3, [sp, #16]
    stp     x4, x5, [sp, #32]
    stp     x6, x7, [sp, #48]
    stp     x8, x9, [sp, #64]
    stp     x10, x11, [sp, #80]
    stp     x12, x13, [sp, #96]
    stp     x14, x15, [sp, #112]
    stp     x16, x17, [sp, #128]
    stp     x18, x19, [sp, #144]
    stp     x20, x21, [sp, #160]
    stp     x22, x23, [sp, #176]
    stp     x24, x25, [sp, #192]
    stp     x26, x27, [sp, #208]
    stp     x28, x29, [sp, #224]
    mrs     x1, elr_el1
    mrs     x2, spsr_el1
    stp     x30, x1, [sp, #240]
    str     x2, [sp, #256]
    mov     x1, sp
    bl      trap_dispatch
    ldr     x2, [sp, #256]
    ldp     x30, x1, [sp, #240]
    msr     elr_el1, x1
    msr     spsr_el1, x2
    ldp     x28, x29, [sp, #224]
    ldp     x26, x27, [sp, #208]
    ldp     x24, x25, [sp, #192]
    ldp     x22, x23, [sp, #176]
    ldp     x20, x21, [sp, #160]
    ldp     x18, x19, [sp, #144]
    ldp     x16, x17, [sp, #128]
    ldp     x14, x15, [sp, #112]
    ldp     x12, x13, [sp, #96]
    ldp     x10, x11, [sp, #80]
    ldp     x8, x9, [sp, #64]
    ldp     x6, x7, [sp, #48]
    ldp     x4, x5, [sp, #32]
    ldp     x2, x3, [sp, #16]
    ldp     x0, x1, [sp, #0]
    add     sp, sp, #FRAME_SIZE
    eret
