/*
 * dom0's console input (see xen/dom0_console.h). One buffer: there is at
 * most one control domain, and a restarted one starts with it empty.
 *
 * Input runs in the UART interrupt under the multiplexer's lock; reads come
 * from dom0's vCPUs. rx_lock covers the indices for both.
 */
#include <console/console.h>
#include <xen/dom0_console.h>
#include <core/domain.h>
#include <xen/evtchn.h>
#include <cloison/spinlock.h>
#include <xen/xen_domain.h>

static spinlock_t rx_lock = SPINLOCK_INIT;
static char rx_ring[DOM0_CONSOLE_RX_SIZE];
static uint32_t rx_prod, rx_cons; /* free-running; prod - cons <= size */
static struct domain *rx_dom;     /* the attached control domain, or NULL */

/* From the multiplexer (IRQs masked, d cannot go away meanwhile). */
static size_t rx(struct domain *d, const char *buf, size_t len)
{
    size_t n = 0;
    uint64_t f = spin_lock_irqsave(&rx_lock);
    for (; n < len && rx_prod - rx_cons < DOM0_CONSOLE_RX_SIZE; n++)
        rx_ring[rx_prod++ % DOM0_CONSOLE_RX_SIZE] = buf[n];
    spin_unlock_irqrestore(&rx_lock, f);
    /* Raised even when the buffer was full, as Xen does: a dom0 that missed
     * an earlier one is prodded to read again. */
    if (d->xen)
        evtchn_send_virq(d->xen, VIRQ_CONSOLE, 0);
    return n;
}

void dom0_console_init(struct domain *d)
{
    if (!d->is_privileged || !d->xen)
        return;
    uint64_t f = spin_lock_irqsave(&rx_lock);
    rx_prod = rx_cons = 0;
    rx_dom = d;
    spin_unlock_irqrestore(&rx_lock, f);
    console_input_attach(d, rx);
}

void dom0_console_destroy(struct domain *d)
{
    if (rx_dom != d)
        return;
    console_input_detach(d);
    uint64_t f = spin_lock_irqsave(&rx_lock);
    rx_dom = NULL;
    spin_unlock_irqrestore(&rx_lock, f);
}

size_t dom0_console_take(struct domain *d, char *buf, size_t len)
{
    size_t n = 0;
    uint64_t f = spin_lock_irqsave(&rx_lock);
    if (rx_dom == d)
        for (; n < len && rx_cons != rx_prod; n++)
            buf[n] = rx_ring[rx_cons++ % DOM0_CONSOLE_RX_SIZE];
    spin_unlock_irqrestore(&rx_lock, f);
    return n;
}

void dom0_console_untake(struct domain *d, size_t len)
{
    uint64_t f = spin_lock_irqsave(&rx_lock);
    /* The bytes are still in the ring unless new input overwrote them. */
    if (rx_dom == d && len <= DOM0_CONSOLE_RX_SIZE - (rx_prod - rx_cons))
        rx_cons -= (uint32_t)len;
    spin_unlock_irqrestore(&rx_lock, f);
}
