/* Host stand-ins under the console: see fakes/console_fake.h. */
#include <stdlib.h>
#include <string.h>
#include <cloison/mm.h>
#include <core/footprint.h>
#include <cloison/p2m.h>
#include <core/cpupool.h>
#include <core/domain.h>
#include <drivers/irqchip.h>
#include <drivers/uart.h>
#include <cloison/irq.h>
#include <stdint.h>
#include "console_fake.h"
#include "lock_fake.h"

char fake_uart_out[FAKE_UART_MAX];
size_t fake_uart_len;
uint32_t fake_uart_irq = FAKE_UART_IRQ;
bool fake_uart_rx_enabled;
unsigned int fake_uart_rx_acks;
bool fake_uart_tx_irq;
size_t fake_uart_tx_room = SIZE_MAX;
uint32_t fake_irq_enabled;
unsigned int fake_domain_count;

static char in[4096];
static size_t in_head, in_tail;
static void (*rx_fn)(void), (*tx_fn)(void);

void fake_uart_clear(void)
{
    fake_uart_len = 0;
    fake_uart_out[0] = 0;
}

static void sent(char c)
{
    if (fake_uart_len + 1 < FAKE_UART_MAX) {
        fake_uart_out[fake_uart_len++] = c;
        fake_uart_out[fake_uart_len] = 0;
    }
}

void uart_putc(char c)
{
    sent(c); /* waits for room: the FIFO drains, so there is */
}

bool uart_tx_put(char c)
{
    if (!fake_uart_tx_room)
        return false;
    if (fake_uart_tx_room != SIZE_MAX)
        fake_uart_tx_room--;
    sent(c);
    return true;
}

uint32_t uart_bytes_per_sec(void)
{
    return FAKE_UART_BYTES_PER_SEC;
}

void fake_uart_type(const char *s, size_t len)
{
    for (size_t i = 0; i < len && in_tail - in_head < sizeof(in); i++)
        in[in_tail++ % sizeof(in)] = s[i];
}

size_t fake_uart_pending(void)
{
    return in_tail - in_head;
}

int uart_getc(void)
{
    return in_head == in_tail ? -1 : (unsigned char)in[in_head++ % sizeof(in)];
}

uint32_t uart_irq(void)
{
    return fake_uart_irq;
}

void fake_uart_take_tx(void)
{
    static bool inside; /* an interrupt handler runs with IRQs masked */
    if (inside)
        return;
    inside = true;
    while (fake_uart_tx_irq && fake_uart_tx_room && tx_fn)
        tx_fn();
    inside = false;
}

/* The driver's interrupt as the tests raise it: bytes arrived. */
static void uart_interrupt(uint32_t intid, void *data)
{
    (void)intid;
    (void)data;
    fake_uart_rx_acks++;
    rx_fn();
    fake_uart_take_tx();
}

int uart_irq_attach(void (*rx)(void), void (*tx)(void))
{
    if (!fake_uart_irq || irq_set_handler(fake_uart_irq, uart_interrupt, NULL) != 0)
        return -1;
    rx_fn = rx;
    tx_fn = tx;
    fake_uart_rx_enabled = true;
    fake_irq_unmask_hook = fake_uart_take_tx;
    return 0;
}

void uart_tx_irq(bool on)
{
    fake_uart_tx_irq = on;
}

void irqchip_enable(uint32_t intid, bool level)
{
    (void)level;
    fake_irq_enabled = intid;
}

void *xmalloc(size_t size)
{
    return malloc(size);
}

void *xzalloc(size_t size)
{
    return calloc(1, size);
}

void xfree(void *p)
{
    free(p);
}

/* The console world has no domain parts: nothing to add to 'q'. */
void domain_parts_dump_vcpu(struct vcpu *v)
{
    (void)v;
}

unsigned int domain_count(void)
{
    return fake_domain_count;
}

size_t mm_total_pages(void)
{
    return 262144;
}

size_t mm_free_pages(void)
{
    return 200000;
}

void mm_usage(struct mm_usage *u)
{
    *u = (struct mm_usage){.free_pages = mm_free_pages(), .heap_bytes = 12345, .heap_pages = 7};
}

/* The 'm' key's breakdown of the last domain created (core/footprint.c). */
void footprint_print_last(void)
{
}

/* The 'm' key's VMID line. */
unsigned int p2m_vmid_bits(void)
{
    return 8;
}

unsigned long p2m_vmid_rollovers(void)
{
    return 3;
}

/* The 'r' key names each pCPU's pool (core/cpupool.c is not linked in the
 * console world): fake_pool is Pool-7. */
uint64_t fake_pool;
uint32_t cpupool_id(const struct cpupool *p)
{
    return p == (const struct cpupool *)&fake_pool ? 7 : 0;
}

/* No null pool here: the 'r' key's null lines are left out. */
void cpupool_dump_null(void)
{
}
