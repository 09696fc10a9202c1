/* Host stand-ins under the console: see fakes/console_fake.h. */
#include <stdlib.h>
#include <string.h>
#include <cloison/mm.h>
#include <core/domain.h>
#include <drivers/irqchip.h>
#include <drivers/uart.h>
#include "console_fake.h"

char fake_uart_out[FAKE_UART_MAX];
size_t fake_uart_len;
uint32_t fake_uart_irq = FAKE_UART_IRQ;
bool fake_uart_rx_enabled;
unsigned int fake_uart_rx_acks;
uint32_t fake_irq_enabled;
unsigned int fake_domain_count;

static char in[4096];
static size_t in_head, in_tail;

void fake_uart_clear(void)
{
    fake_uart_len = 0;
    fake_uart_out[0] = 0;
}

void uart_putc(char c)
{
    if (fake_uart_len + 1 < FAKE_UART_MAX) {
        fake_uart_out[fake_uart_len++] = c;
        fake_uart_out[fake_uart_len] = 0;
    }
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

uint32_t uart_rx_irq(void)
{
    return fake_uart_irq;
}

void uart_rx_irq_enable(void)
{
    fake_uart_rx_enabled = true;
}

void uart_rx_irq_ack(void)
{
    fake_uart_rx_acks++;
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
