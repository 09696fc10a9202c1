/*
 * AArch32 guest entry: the zImage header, the boot and secondary-CPU entry
 * (always A32; the C code may be T32), the exception vectors, and the few
 * helpers that need a particular mode or instruction.
 */
    .syntax unified
    .arch armv7-a
    .arch_extension virt
    .arch_extension sec
    .fpu vfpv3
    .arm

#define STACK_SHIFT 14 /* 16 KiB per vCPU: 10 KiB SVC, 2 KiB each for ABT, UND, IRQ and FIQ */
#define MAX_CPUS 4

    .section .text.head, "ax"
    .globl _head_code
_head_code:
    .rept 8
    mov     r0, r0
    .endr
    b       boot_entry                  /* 0x20 */
    .word   0x016f2818                  /* 0x24: zImage magic */
    .word   _head                       /* 0x28: load address */
    .word   _image_file_end             /* 0x2c: end of the loaded file */
    .word   0x04030201                  /* 0x30: little-endian */

    .text
/* Boot vCPU: r0 = 0, r1 = ~0, r2 = DTB (Linux's ARM boot protocol). */
boot_entry:
    mov     r4, r0
    mov     r5, r1
    mov     r6, r2
    mrs     r7, cpsr
    ldr     r0, =_bss_start
    ldr     r1, =_bss_end
    mov     r2, #0
1:  cmp     r0, r1
    strlo   r2, [r0], #4
    blo     1b
    mov     r0, #0
    bl      cpu_setup
    mov     r0, r4
    mov     r1, r5
    mov     r2, r6
    mov     r3, r7
    bl      guest32_boot
    b       park

/* Secondary vCPU from PSCI CPU_ON: r0 = context id = its index. */
    .globl secondary_entry
    .type secondary_entry, %function
secondary_entry:
    mov     r4, r0
    mrs     r5, cpsr
    and     r0, r0, #(MAX_CPUS - 1)
    bl      cpu_setup
    mov     r0, r4
    mov     r1, r5
    bl      guest32_secondary
    b       park

/* Stacks of cpu r0 for SVC, ABT, UND, IRQ and FIQ mode (an interrupt a case
 * lets in reaches its trap hook, or fails the test, instead of pushing at
 * address 0); VBAR; FP access. Uses r0-r3. */
cpu_setup:
    ldr     r1, =guest32_stacks
    add     r0, r0, #1
    add     r1, r1, r0, lsl #STACK_SHIFT    /* top of this cpu's block */
    mrs     r3, cpsr
    cps     #0x17                           /* abt */
    sub     sp, r1, #0
    cps     #0x1b                           /* und */
    sub     sp, r1, #2048
    cps     #0x12                           /* irq */
    sub     sp, r1, #4096
    cps     #0x11                           /* fiq */
    sub     sp, r1, #6144
    msr     cpsr_c, r3
    sub     sp, r1, #8192                   /* svc */
    ldr     r2, =vectors
    mcr     p15, 0, r2, c12, c0, 0          /* VBAR */
    mrc     p15, 0, r2, c1, c0, 2           /* CPACR: cp10/cp11 full access */
    orr     r2, r2, #(0xf << 20)
    mcr     p15, 0, r2, c1, c0, 2
    isb
    bx      lr

park:
    cpsid   if
1:  wfi
    b       1b

/*
 * Vectors: every exception saves r0-r12 and LR on its mode's stack, with
 * the SPSR, and calls guest32_trap(kind, frame); the handler may change the
 * frame's return address (frame[13]) and SPSR (frame[0]).
 *
 * The return is RFE from the stack, not a write of the mode's SPSR and an
 * LDM ^ that reads it back: QEMU's TCG keeps the current mode's SPSR in a
 * register of its own that a return from EL2 to AArch32 does not reload,
 * so when the hypervisor runs another AArch32 vCPU on this pCPU between the
 * two instructions, LDM ^ returns with that vCPU's SPSR (seen as an
 * illegal return: PSTATE.IL set, interrupts unmasked). Real CPUs bank it.
 */
    .balign 32
vectors:
    b       vec_reset
    b       vec_undef
    b       vec_svc
    b       vec_pabt
    b       vec_dabt
    b       vec_reset
    b       vec_irq
    b       vec_fiq

.macro VEC kind
    sub     sp, sp, #4                      /* the CPSR word RFE loads, after LR */
    push    {r0-r12, lr}
    mrs     r0, spsr
    push    {r0}
    mov     r0, #\kind
    mov     r1, sp
    bl      guest32_trap
    pop     {r0}
    str     r0, [sp, #56]                   /* above r0-r12 and LR */
    pop     {r0-r12}
    rfeia   sp!                             /* PC = LR, CPSR = the frame's SPSR */
.endm

vec_reset:
    VEC 0
vec_undef:
    VEC 1
vec_svc:
    VEC 2
vec_pabt:
    VEC 3
vec_dabt:
    VEC 4
vec_irq:
    VEC 6
vec_fiq:
    VEC 7

/* uint32_t fiq_mmio(uint32_t addr, uint32_t val): in FIQ mode, write val to
 * the device from r8_fiq and read it back into r10_fiq (the hypervisor must
 * use the banked registers, x24/x26); returns what was read OR'ed with the
 * SVC-mode r8/r10 (which are set to 0 and must stay 0). */
    .globl fiq_mmio
    .type fiq_mmio, %function
fiq_mmio:
    push    {r4-r11, lr}
    mov     r8, #0
    mov     r10, #0
    mrs     r3, cpsr
    cpsid   if, #0x11
    mov     r9, r0
    mov     r8, r1
    mov     r10, #0xff
    str     r8, [r9]
    ldr     r10, [r9]
    mov     r0, r10
    msr     cpsr_c, r3
    orr     r0, r0, r8
    orr     r0, r0, r10
    pop     {r4-r11, pc}

/* uint32_t read_mvfr0(void), read_mvfr1: VMRS, trapped by HCR_EL2.TID3. */
    .globl read_mvfr0, read_mvfr1
    .type read_mvfr0, %function
read_mvfr0:
    vmrs    r0, mvfr0
    bx      lr
    .type read_mvfr1, %function
read_mvfr1:
    vmrs    r0, mvfr1
    bx      lr

/* long smc32(uint32_t fid, a1, a2, a3): SMCCC over SMC #0. */
    .globl smc32
    .type smc32, %function
smc32:
    smc     #0
    bx      lr

    .ltorg
    .section .note.GNU-stack, "", %progbits
