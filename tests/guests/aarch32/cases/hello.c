/*
 * hello: the AArch32 boot protocol as Xen gives it (SVC mode, A32, IRQs
 * masked, r0 = 0, r1 = ~0, r2 = the DTB in RAM), then output both ways:
 * through the vPL011 (MMIO from AArch32) and through console_io. Reports
 * fiq_mmio=ok|bad: whether an MMIO access from FIQ mode's banked r8/r10
 * reached those registers (Xen 4.17 under QEMU's TCG uses the usr ones).
 */
#include <string.h>

#include "guest32.h"

GUEST32_NAME("hello");

void test_main(void)
{
    const struct boot_state *b = &boot_state;
    static const char msg[] = "hello from an AArch32 Cloison test guest (console_io)\n";

    uart_puts("hello from an AArch32 Cloison test guest (vPL011)\n");
    if ((b->cpsr & 0x1f) != 0x13 || (b->cpsr & (1u << 5)) || (b->cpsr & 0x1c0) != 0x1c0)
        test_fail("entry cpsr=0x%x: want SVC, A32, A/I/F masked", b->cpsr);
    if (b->r0 != 0 || b->r1 != 0xffffffffu)
        test_fail("entry r0=0x%x r1=0x%x: want 0 and 0xffffffff", b->r0, b->r1);
    if (b->r2 < 0x40000000u || *(volatile uint32_t *)b->r2 != 0xedfe0dd0u)
        test_fail("r2=0x%x is not a DTB", b->r2);
    uint32_t got = fiq_mmio(VPL011 + UART_IMSC, 0x50);
    mmio_write32(VPL011 + UART_IMSC, 0);
    long rc = console_io_write(msg, strlen(msg));
    if (rc != 0)
        test_fail("console_io ret=%ld expected=0", rc);
    test_pass("console_io ret=%ld dtb=0x%x cpsr=0x%x fiq_mmio=%s fiq_read=0x%x", rc, b->r2, b->cpsr,
              got == 0x50 ? "ok" : "bad", got);
}
