/*
 * uart_echo: interrupt-driven receive on the vPL011 (SBSA UART, SPI 32).
 * Every line typed into this domain's console is echoed back as
 * "TEST uart_echo RUN echo=<line>"; the line "quit" ends the test.
 * Checked on the way, since a wrong answer here is a stalled or storming
 * Linux console: an idle UART reads FR = TXFE|RXFE and RIS = TXIS; ICR clears
 * TXIS and a DR write raises it again; in every receive interrupt MIS equals
 * RIS & IMSC, the FIFO drains to RXFE and RX/RT status then clears (the level
 * interrupt goes away, so it does not fire again for nothing).
 * Before each line it writes the prompt "echo> " (no newline) to DR: the
 * hypervisor must show such a partial line without waiting for its end.
 * Needs someone to type: the integration test drives it (test_console.py).
 */
#include "guest.h"

const char test_name[] = "uart_echo";

#define UART_SPI 32
#define DR 0x000
#define FR 0x018
#define IMSC 0x038
#define RIS 0x03c
#define MIS 0x040
#define ICR 0x044
#define FR_RXFE (1u << 4)
#define FR_TXFE (1u << 7)
#define FR_FLAGS 0xf8u /* BUSY, RXFE, TXFF, RXFF, TXFE */
#define INT_RX (1u << 4)
#define INT_TX (1u << 5)
#define INT_RT (1u << 6)
#define GICD_IGROUPR 0x0080

#define LINE_MAX 64
#define NR_LINES 8
#define WAIT_S 120

static char lines[NR_LINES][LINE_MAX];
static volatile unsigned lines_in, lines_out;
static char cur[LINE_MAX];
static unsigned cur_len;
static volatile unsigned irqs, bad_mis, not_drained, overflow;

static uint32_t reg(unsigned off)
{
    return mmio_read32(plat.uart + off);
}

static void on_uart(unsigned intid)
{
    uint32_t imsc = reg(IMSC), ris = reg(RIS), mis = reg(MIS);

    irqs++;
    if (mis != (ris & imsc))
        bad_mis++;
    while (!(reg(FR) & FR_RXFE)) {
        char c = (char)(reg(DR) & 0xff);
        if (c == '\r' || c == '\n') {
            if (!cur_len)
                continue;
            if (lines_in - lines_out == NR_LINES) {
                overflow++;
            } else {
                cur[cur_len] = 0;
                for (unsigned i = 0; i <= cur_len; i++)
                    lines[lines_in % NR_LINES][i] = cur[i];
                lines_in++;
            }
            cur_len = 0;
        } else if (cur_len < LINE_MAX - 1) {
            cur[cur_len++] = c;
        }
    }
    /* RX/RT status with an empty FIFO is wrong; with bytes typed meanwhile
     * (the FIFO is no longer empty: FR read last) it is right. */
    uint32_t status = reg(RIS) | reg(MIS);
    if ((status & (INT_RX | INT_RT)) && (reg(FR) & FR_RXFE))
        not_drained++;
}

static bool same(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return *a == *b;
}

static void check_idle_uart(void)
{
    uint32_t fr = reg(FR) & FR_FLAGS;

    if (fr != (FR_TXFE | FR_RXFE))
        test_fail("idle FR=0x%x expected=0x%x", fr, FR_TXFE | FR_RXFE);
    if (reg(RIS) != INT_TX || reg(MIS) != 0)
        test_fail("idle RIS=0x%x MIS=0x%x expected RIS=0x%x MIS=0", reg(RIS), reg(MIS), INT_TX);
    mmio_write32(plat.uart + ICR, INT_TX);
    if (reg(RIS) & INT_TX)
        test_fail("ICR did not clear TXIS: RIS=0x%x", reg(RIS));
    static const char ready[] = "uart_echo: ready\n";
    for (unsigned i = 0; ready[i]; i++)
        mmio_write32(plat.uart + DR, (uint8_t)ready[i]);
    if (!(reg(RIS) & INT_TX) || (reg(FR) & FR_FLAGS) != (FR_TXFE | FR_RXFE))
        test_fail("after DR writes RIS=0x%x FR=0x%x", reg(RIS), reg(FR));
}

static void prompt(void)
{
    static const char p[] = "echo> ";
    for (unsigned i = 0; p[i]; i++)
        mmio_write32(plat.uart + DR, (uint8_t)p[i]);
}

static void enable_uart_irq(void)
{
    if (plat.gic_version == 3) { /* SPIs are group 0 at reset; we take group 1 */
        uintptr_t grp = plat.gicd + GICD_IGROUPR + (UART_SPI / 32) * 4;
        mmio_write32(grp, mmio_read32(grp) | 1u << (UART_SPI % 32));
    }
    gic_set_priority(UART_SPI, 0xa0);
    gic_route_spi(UART_SPI, 0);
    irq_register(UART_SPI, on_uart);
    gic_enable(UART_SPI);
    mmio_write32(plat.uart + IMSC, INT_RX | INT_RT);
}

void test_main(void)
{
    if (!plat.uart)
        test_fail("no vPL011 (arm,sbsa-uart) in the device tree");
    check_idle_uart();
    enable_uart_irq();
    irq_enable();
    uint64_t freq = cntfrq(), start = cntvct();
    test_run("waiting for input");
    for (;;) {
        prompt();
        /* Checked with IRQs masked: a line arriving between the check and
         * the WFI would otherwise be handled there and leave the WFI waiting
         * for an interrupt that already came. Masked, it stays pending and
         * ends the WFI, and is taken once IRQs are unmasked. */
        irq_disable();
        while (lines_out == lines_in) {
            if (cntvct() - start > WAIT_S * freq)
                test_fail("no quit after %d s lines=%u irqs=%u", WAIT_S, lines_out, irqs);
            wfi();
            irq_enable();
            isb(); /* the pending interrupt is taken here at the latest */
            irq_disable();
        }
        irq_enable();
        const char *l = lines[lines_out % NR_LINES];
        if (same(l, "quit"))
            break;
        gprintf("TEST uart_echo RUN echo=%s\n", l);
        lines_out++;
    }
    irq_disable();
    if (!irqs || bad_mis || not_drained || overflow)
        test_fail("irqs=%u bad_mis=%u not_drained=%u overflow=%u", irqs, bad_mis, not_drained,
                  overflow);
    test_pass("lines=%u", lines_out);
}
