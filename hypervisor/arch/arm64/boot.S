/*
 * Entry points. The image starts with the arm64 Linux Image header so any
 * Linux-capable loader (QEMU -kernel, U-Boot booti) starts it at EL2 with
 * x0 = DTB physical address, MMU and D-cache off.
 *
 * Boot CPU:       _head -> start -> boot_cpu_main(dtb)          (C, never returns)
 * Secondary CPUs: secondary.S.
 */
#include <asm-offsets.h>
#include <asm/boot.h>

    .section .text.head, "ax"
    .global _head_code
_head_code:
    b       start                   /* code0 */
    .long   0                       /* code1 */
    .quad   0x200000                /* text_offset: RAM base + 2 MiB */
    .quad   __image_size            /* image_size, from the linker script */
    .quad   0x2                     /* flags: little-endian, 4 KiB pages */
    .quad   0, 0, 0                 /* reserved */
    .ascii  "ARM\x64"               /* magic */
    .long   0                       /* PE header offset: none */

start:
    mov     x19, x0                 /* keep the DTB address */
    msr     daifset, #0xf
    ldr     x1, =boot_stacks + BOOT_STACK_SIZE
    mov     sp, x1
    mov     x29, xzr
    /* zero BSS (the boot stacks live in .bss: clear below our own frame only
     * matters for the boot stack, which holds nothing yet) */
    ldr     x1, =__bss_start
    ldr     x2, =__bss_end
1:  cmp     x1, x2
    b.hs    2f
    stp     xzr, xzr, [x1], #16
    b       1b
2:  adr     x1, hyp_vectors
    msr     vbar_el2, x1
    isb
    mov     x0, x19
    adr     x1, _head_code          /* where we actually run ... */
    ldr     x2, =_head_code         /* ... and where we were linked */
    bl      boot_cpu_main
3:  wfe
    b       3b
