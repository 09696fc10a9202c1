/*
 * PL011 UART: the hypervisor console. Output is written a FIFO's worth at a
 * time by whoever drains the console's transmit ring (console/printk.c),
 * from the transmit interrupt once it is attached, and polled only at boot
 * and on a panic; input arrives by the receive interrupt. Both share the
 * UART's one interrupt line, whose handler (registered with arch's
 * interrupt table) calls the console's two callbacks. The UART is found from
 * /chosen/stdout-path (falling back to the first "arm,pl011" node), whose
 * options give the baud rate, and must not be given to any guest.
 */
#include <cloison/irq.h>
#include <cloison/mm.h>
#include <cloison/types.h>
#include <drivers/uart.h>
#include <stdlib.h>
#include <libfdt.h>
#include <string.h>

#define UART_DR 0x00
#define UART_FR 0x18
#define UART_FR_TXFF BIT(5)
#define UART_FR_RXFE BIT(4)
#define UART_FR_BUSY BIT(3)
#define UART_CR 0x30
#define UART_CR_EN (BIT(0) | BIT(8) | BIT(9)) /* UARTEN, TXE, RXE */
#define UART_IMSC 0x38
#define UART_MIS 0x40
#define UART_ICR 0x44
#define UART_INT_RX BIT(4)
#define UART_INT_TX BIT(5)
#define UART_INT_RT BIT(6)
#define UART_INT_ERR (0xfU << 7) /* framing, parity, break, overrun */
#define UART_INT_RX_ALL (UART_INT_RX | UART_INT_RT | UART_INT_ERR)
/* Interrupt specifier of the GIC binding: <type number flags>. */
#define GIC_SPI_TYPE 0
#define GIC_PPI_TYPE 1
#define DEFAULT_BAUD 115200

static volatile uint32_t *uart_base; /* registers are 32-bit; offsets in bytes */
static paddr_t uart_pa;
static uint32_t uart_intid; /* the UART's interrupt, 0 if the DT gives none */
static uint32_t uart_baud = DEFAULT_BAUD;
static void (*rx_fn)(void), (*tx_fn)(void);

static inline uint32_t rd(unsigned int off)
{
    return uart_base[off / 4];
}
static inline void wr(unsigned int off, uint32_t v)
{
    uart_base[off / 4] = v;
}

/* "serial0:115200n8": the baud rate after the colon, if any. */
static void parse_options(const char *opt, const char *end)
{
    char digits[12];
    size_t n = 0;
    while (opt < end && n + 1 < sizeof(digits) && *opt >= '0' && *opt <= '9')
        digits[n++] = *opt++;
    digits[n] = 0;
    unsigned long baud = n ? strtoul(digits, NULL, 10) : 0;
    if (baud >= 300 && baud <= 10000000)
        uart_baud = (uint32_t)baud;
}

static int find_uart_node(const void *fdt)
{
    int chosen = fdt_path_offset(fdt, "/chosen");
    if (chosen >= 0) {
        int len;
        const char *path = fdt_getprop(fdt, chosen, "stdout-path", &len);
        if (path && len > 0) {
            /* "serial0:115200n8" or a path; strip the options */
            const char *colon = memchr(path, ':', (size_t)len);
            if (colon)
                parse_options(colon + 1, path + len);
            int plen = colon ? (int)(colon - path) : (int)strnlen(path, (size_t)len);
            int off = fdt_path_offset_namelen(fdt, path, plen);
            if (off < 0) {
                const char *alias = fdt_get_alias_namelen(fdt, path, plen);
                if (alias)
                    off = fdt_path_offset(fdt, alias);
            }
            if (off >= 0 && fdt_node_check_compatible(fdt, off, "arm,pl011") == 0)
                return off;
        }
    }
    return fdt_node_offset_by_compatible(fdt, -1, "arm,pl011");
}

/* The first interrupt of the node as a GIC INTID (3-cell GIC binding). */
static uint32_t dt_interrupt(const void *fdt, int node)
{
    int len;
    const fdt32_t *irq = fdt_getprop(fdt, node, "interrupts", &len);
    if (!irq || len < 12)
        return 0;
    uint32_t type = fdt32_to_cpu(irq[0]), nr = fdt32_to_cpu(irq[1]);
    if (type == GIC_SPI_TYPE && nr < 988)
        return 32 + nr;
    if (type == GIC_PPI_TYPE && nr < 16)
        return 16 + nr;
    return 0;
}

/* The parent's #address-cells / #size-cells: absent = dflt, else 1 or 2. */
static uint32_t parent_cells(const void *fdt, int parent, const char *prop, uint32_t dflt)
{
    int len;
    const fdt32_t *c = parent >= 0 ? fdt_getprop(fdt, parent, prop, &len) : NULL;
    uint32_t v = c ? (len == 4 ? fdt32_ld(c) : 0) : dflt;
    return v >= 1 && v <= 2 ? v : 0;
}

/* Nothing can be printed yet, so a UART that cannot be used is just not
 * used: one outside the low device window (the only one mapped before the
 * final tables, and kept in them) or with a reg the parent's cells cannot
 * read. */
int uart_init(const void *fdt)
{
    int node = find_uart_node(fdt), len;
    if (node < 0)
        return -1;
    int parent = fdt_parent_offset(fdt, node);
    uint32_t ac = parent_cells(fdt, parent, "#address-cells", 2);
    uint32_t sc = parent_cells(fdt, parent, "#size-cells", 1);
    const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);
    if (!reg || !ac || !sc || len < (int)(4 * (ac + sc)))
        return -1;
    uint64_t pa = ac == 2 ? (uint64_t)fdt32_ld(reg) << 32 | fdt32_ld(reg + 1) : fdt32_ld(reg);
    if (pa < MMU_NULL_GUARD || pa >= MMU_LOW_DEVICE_END - PAGE_SIZE)
        return -1;
    uart_pa = pa;
    uart_base = (volatile uint32_t *)(uintptr_t)uart_pa;
    uart_intid = dt_interrupt(fdt, node);
    return 0;
}

paddr_t uart_phys_base(void)
{
    return uart_pa;
}

uint32_t uart_bytes_per_sec(void)
{
    return uart_baud / 10; /* 8N1: a start bit, 8 data bits, a stop bit */
}

void uart_putc(char c)
{
    if (!uart_base)
        return;
    while (rd(UART_FR) & UART_FR_TXFF)
        ;
    wr(UART_DR, (uint8_t)c);
}

bool uart_tx_put(char c)
{
    if (!uart_base)
        return true; /* no UART: output goes nowhere, at once */
    if (rd(UART_FR) & UART_FR_TXFF)
        return false;
    wr(UART_DR, (uint8_t)c);
    return true;
}

int uart_getc(void)
{
    if (!uart_base || (rd(UART_FR) & UART_FR_RXFE))
        return -1;
    return (int)(rd(UART_DR) & 0xff);
}

uint32_t uart_irq(void)
{
    return uart_base ? uart_intid : 0;
}

/* The UART's interrupt: received bytes (acknowledged before the callback
 * drains them, so a byte arriving meanwhile raises it anew), room to send
 * (the callback refills, or masks the transmit interrupt when done). */
static void uart_interrupt(uint32_t intid, void *data)
{
    (void)intid;
    (void)data;
    uint32_t mis = rd(UART_MIS);
    if (mis & UART_INT_RX_ALL) {
        wr(UART_ICR, UART_INT_RX_ALL);
        rx_fn();
    }
    if (mis & UART_INT_TX) {
        wr(UART_ICR, UART_INT_TX);
        tx_fn();
    }
}

int uart_irq_attach(void (*rx)(void), void (*tx)(void))
{
    if (!uart_base || !uart_intid)
        return -1;
    rx_fn = rx;
    tx_fn = tx;
    if (irq_set_handler(uart_intid, uart_interrupt, NULL) != 0)
        return -1;
    wr(UART_ICR, UART_INT_RX_ALL | UART_INT_TX);
    wr(UART_CR, rd(UART_CR) | UART_CR_EN); /* no firmware may have enabled it */
    wr(UART_IMSC, rd(UART_IMSC) | UART_INT_RX | UART_INT_RT);
    return 0;
}

void uart_tx_irq(bool on)
{
    if (!uart_base)
        return;
    uint32_t imsc = rd(UART_IMSC);
    wr(UART_IMSC, on ? imsc | UART_INT_TX : imsc & ~UART_INT_TX);
}
