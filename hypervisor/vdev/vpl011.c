/*
 * vPL011 device: one register model (vpl011-regs.c) per domain behind a
 * lock, its interrupt line (level SPI 32, high while RIS & IMSC) and its two
 * ends. Cloison's own UART (a boot domain's `vpl011`): DR writes go to the
 * domain's console, received bytes come from the console input multiplexer.
 * With a backend in a domain (vuart_op, vpl011_backend_init): both ends are
 * the ring in the guest's page; every DR access notifies the backend through
 * the function the Xen interface registered, and the backend's notification
 * comes back as vpl011_backend_event().
 *
 * Lock: vpl011.lock (order: cloison/spinlock.h). The console output path and
 * the backend's notification are entered only after it is dropped.
 */
#include <cloison/assert.h>
#include <console/console.h>
#include <core/domain.h>
#include <cloison/errno.h>
#include <cloison/mm.h>
#include <cloison/spinlock.h>
#include <core/vcpu.h>
#include <vdev/vgic.h>
#include <vdev/vpl011.h>

#include "vpl011-priv.h"

/* Typed input beyond the 32-byte FIFO waits here and moves into the FIFO as
 * the guest reads (a pasted line or the test harness sends faster than a
 * guest drains). Only when this is full too are bytes dropped, and the
 * guest then sees an overrun. */
#define VPL011_BACKLOG 1024

struct vpl011 {
    spinlock_t lock;
    struct vpl011_model m;
    bool line; /* level last given to the vGIC */
    char backlog[VPL011_BACKLOG];
    size_t bl_head, bl_count;
    /* Ring mode (m.ring set): how to notify the backend, and the port. */
    vpl011_kick_fn kick;
    uint32_t port;
};

/* Move waiting input into the FIFO while it has room; lock held. */
static void refill_fifo(struct vpl011 *u)
{
    ASSERT_HELD(&u->lock);
    while (u->bl_count && u->m.rx_count < VPL011_RX_FIFO) {
        vpl011_model_rx(&u->m, (uint8_t)u->backlog[u->bl_head]);
        u->bl_head = (u->bl_head + 1) % VPL011_BACKLOG;
        u->bl_count--;
    }
}

/* One typed byte; lock held. Returns false if it was dropped. */
static bool rx_byte(struct vpl011 *u, char c)
{
    ASSERT_HELD(&u->lock);
    if (u->bl_count == 0 && u->m.rx_count < VPL011_RX_FIFO)
        return vpl011_model_rx(&u->m, (uint8_t)c);
    if (u->bl_count < VPL011_BACKLOG) {
        u->backlog[(u->bl_head + u->bl_count++) % VPL011_BACKLOG] = c;
        return true;
    }
    return vpl011_model_rx(&u->m, (uint8_t)c); /* FIFO full: counted, overrun raised */
}

/* Follow the model's interrupt output; lock held. */
static void update_line(struct domain *d, struct vpl011 *u)
{
    ASSERT_HELD(&u->lock);
    bool level = vpl011_model_irq(&u->m);
    if (level == u->line || !d->vgic || !d->vcpus[0])
        return;
    u->line = level;
    vgic_set_level(d->vcpus[0], VPL011_SPI, level);
}

static size_t vpl011_rx(struct domain *d, const char *buf, size_t len)
{
    struct vpl011 *u = d->vuart;
    size_t taken = 0;
    uint64_t f = spin_lock_irqsave(&u->lock);
    for (size_t i = 0; i < len; i++)
        taken += rx_byte(u, buf[i]);
    update_line(d, u);
    spin_unlock_irqrestore(&u->lock, f);
    return taken;
}

/* Register access of `size` bytes at `off` (the window at VPL011_BASE):
 * the 32-bit register holding it, read and shifted (byte reads of FR work);
 * writes only at a register's start (a byte write of DR is how earlycon may
 * send). Anything wider than a register, or crossing one, reads as zero and
 * is ignored. */
static enum mmio_result vpl011_mmio(struct vcpu *v, ipa_t ipa, unsigned int size, bool write,
                                    uint64_t *val, void *opaque)
{
    struct domain *d = v->domain;
    struct vpl011 *u = opaque;
    uint32_t off = (uint32_t)(ipa - VPL011_BASE);
    uint32_t word = off & ~3U, shift = (off & 3U) * 8;
    bool fits = size <= 4 && (off & 3U) + size <= 4;

    if (!write)
        *val = 0;
    if (!fits || (write && shift))
        return MMIO_HANDLED;
    struct vpl011_effect eff = {0};
    uint64_t f = spin_lock_irqsave(&u->lock);
    if (write) {
        vpl011_model_write(&u->m, word, (uint32_t)*val, &eff);
    } else {
        uint32_t reg = vpl011_model_read(&u->m, word, &eff) >> shift;
        *val = size == 4 ? reg : reg & ((1U << (size * 8)) - 1);
        refill_fifo(u);
    }
    update_line(d, u);
    spin_unlock_irqrestore(&u->lock, f);
    if (eff.tx) {
        char c = (char)eff.tx_byte;
        console_guest_write(d, &c, 1);
    }
    if (eff.kick)
        u->kick(d, u->port);
    return MMIO_HANDLED;
}

int vpl011_domain_init(struct domain *d)
{
    if (!d->vpl011)
        return 0;
    struct vpl011 *u = xzalloc(sizeof(*u));
    if (!u)
        return -ENOMEM;
    u->lock = (spinlock_t)SPINLOCK_INIT;
    vpl011_model_reset(&u->m);
    int rc = domain_mmio_add(d, VPL011_BASE, VPL011_SIZE, vpl011_mmio, u);
    if (rc) {
        xfree(u);
        return rc;
    }
    d->vuart = u;
    console_input_attach(d, vpl011_rx);
    return 0;
}

int vpl011_backend_init(struct domain *d, struct xencons_interface *ring, vpl011_kick_fn kick,
                        uint32_t port)
{
    if (d->vuart)
        return -EINVAL; /* Xen's answer to a second INIT */
    struct vpl011 *u = xzalloc(sizeof(*u));
    if (!u)
        return -ENOMEM;
    u->lock = (spinlock_t)SPINLOCK_INIT;
    vpl011_model_reset_ring(&u->m, ring);
    u->kick = kick;
    u->port = port;
    int rc = domain_mmio_add(d, VPL011_BASE, VPL011_SIZE, vpl011_mmio, u);
    if (rc) {
        xfree(u);
        return rc;
    }
    /* Complete before the backend's notifications can find it. */
    __atomic_store_n(&d->vuart, u, __ATOMIC_RELEASE);
    return 0;
}

void vpl011_backend_event(struct domain *d)
{
    struct vpl011 *u = __atomic_load_n(&d->vuart, __ATOMIC_ACQUIRE);
    if (!u || !u->m.ring)
        return;
    uint64_t f = spin_lock_irqsave(&u->lock);
    vpl011_model_ring_event(&u->m);
    update_line(d, u);
    spin_unlock_irqrestore(&u->lock, f);
}

void vpl011_domain_destroy(struct domain *d)
{
    if (!d->vuart)
        return;
    if (!d->vuart->m.ring)
        console_input_detach(d); /* no input can arrive after this */
    domain_mmio_remove(d, vpl011_mmio, d->vuart);
    xfree(d->vuart);
    d->vuart = NULL;
}
