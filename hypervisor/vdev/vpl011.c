/*
 * vPL011: the SBSA subset of a PL011 at Xen's guest address (0x22000000),
 * for domains whose boot description has `vpl011`. Transmit only for now:
 * bytes written to DR go to the domain's console; FR reports an empty,
 * never-full FIFO; every other register reads as zero and ignores writes.
 * (Receive and interrupts come with the console multiplexer.)
 */
#include <cloison/console.h>
#include <cloison/domain.h>
#include <cloison/vpl011.h>

#define UARTDR 0x000
#define UARTFR 0x018
#define FR_RXFE (1U << 4)
#define FR_TXFE (1U << 7)

bool vpl011_mmio(struct domain *d, ipa_t ipa, unsigned int size, bool write, uint64_t *val)
{
    if (!d->vpl011 || ipa < VPL011_BASE || ipa >= VPL011_BASE + VPL011_SIZE)
        return false;
    uint64_t off = ipa - VPL011_BASE;
    if (write) {
        if (off == UARTDR) {
            char c = (char)(*val & 0xff);
            console_guest_write(d, &c, 1);
        }
        return true;
    }
    (void)size;
    *val = off == UARTFR ? (FR_RXFE | FR_TXFE) : 0;
    return true;
}
