/*
 * hold_vuart: an EL2-hold guest (beside `witness` on one pCPU) that writes
 * lines to its vPL011's data register as fast as the FIFO flag lets it,
 * every byte a trap. Never ends; reports `RUN bytes=B` every second of
 * counter time through console_io (its flood is mostly dropped by the
 * console's rate limit).
 */
#include "guest.h"

const char test_name[] = "hold_vuart";

#define UART_DR 0x00
#define UART_FR 0x18
#define UART_FR_TXFF (1u << 5)

void test_main(void)
{
    static const char line[] = "vuart flood: the quick brown fox jumps over the lazy dog\n";
    if (!plat.uart)
        test_fail("no vPL011 in the DT");
    test_run("attacking");
    uint64_t freq = cntfrq(), next = cntvct() + freq, bytes = 0;
    for (;;) {
        for (size_t i = 0; i < sizeof(line) - 1; i++) {
            while (mmio_read32(plat.uart + UART_FR) & UART_FR_TXFF)
                ;
            mmio_write32(plat.uart + UART_DR, (uint8_t)line[i]);
        }
        bytes += sizeof(line) - 1;
        if (cntvct() >= next) {
            test_run("bytes=%llu", (unsigned long long)bytes);
            next += freq;
        }
    }
}
