/*
 * Secondary CPUs' entry (PSCI CPU_ON from cpu_start(), x0 = pCPU index, MMU
 * and D-cache off): its boot stack, the vectors, then the C function
 * cpu_start() (cpu.c) left for it: secondary_fn[index](index), which never
 * returns. The boot stacks live here too; the boot CPU's is the first.
 */
#include <asm/boot.h>

    .text
    .global secondary_entry
secondary_entry:
    msr     daifset, #0xf
    mov     x19, x0                 /* pCPU index */
    ldr     x1, =boot_stacks
    add     x2, x0, #1
    mov     x3, #BOOT_STACK_SIZE
    madd    x1, x2, x3, x1          /* stack top of cpu n = base + (n+1)*size */
    mov     sp, x1
    mov     x29, xzr
    adr     x1, hyp_vectors
    msr     vbar_el2, x1
    isb
    adrp    x1, secondary_fn        /* MMU off: cpu_start() cleaned it to PoC */
    add     x1, x1, :lo12:secondary_fn
    ldr     x1, [x1, x19, lsl #3]
    mov     x0, x19
    blr     x1
4:  wfe
    b       4b

    .bss
    .balign 16
    .global boot_stacks
boot_stacks:
    .space  BOOT_STACK_SIZE * BOOT_STACKS
