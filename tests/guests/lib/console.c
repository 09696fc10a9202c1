/*
 * Guest output. Preferred path: console_io (HYPERVISOR_console_io), which Xen
 * 4.17 grants dom0less domUs (they are marked is_console, so xsm_console_io
 * lets them write) and prints as "(dN) ...". A hypervisor that refuses it
 * (-EPERM is what xsm_console_io gives other unprivileged domains) still gets
 * our output when the DT has a vPL011 (arm,sbsa-uart); Xen prints those lines
 * as "DOMN: ...".
 */
#include <stdarg.h>
#include <lib/printf.h>

#include "guest.h"

#define UART_DR 0x00
#define UART_FR 0x18
#define UART_FR_TXFF (1u << 5)

long console_io_probe_result;
static bool use_uart;
static volatile uint32_t console_lock;

static void uart_write(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        while (mmio_read32(plat.uart + UART_FR) & UART_FR_TXFF)
            ;
        mmio_write32(plat.uart + UART_DR, (uint8_t)s[i]);
    }
}

void console_init(void)
{
    static const char probe[1];

    /* A zero-length write prints nothing but still goes through the checks. */
    console_io_probe_result = console_io_write(probe, 0);
    use_uart = console_io_probe_result < 0 && plat.uart;
}

static void lock(void)
{
    while (__atomic_exchange_n(&console_lock, 1, __ATOMIC_ACQUIRE))
        ;
}

static void unlock(void)
{
    __atomic_store_n(&console_lock, 0, __ATOMIC_RELEASE);
}

void console_write(const char *s, size_t len)
{
    lock();
    if (use_uart)
        uart_write(s, len);
    else
        console_io_write(s, len);
    unlock();
}

void gprintf(const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n >= sizeof(buf))
        n = sizeof(buf) - 1;
    console_write(buf, (size_t)n);
}
