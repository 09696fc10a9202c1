/*
 * Cloison's own PV console backend for domUs (see xen/pvconsole.h):
 * owns the ring page and the hypervisor end of the console event channel,
 * and connects them to the domain's console log and the input multiplexer.
 */
#include <console/console.h>
#include <core/domain.h>
#include <cloison/errno.h>
#include <xen/evtchn.h>
#include <cloison/mm.h>
#include <cloison/p2m.h>
#include <cloison/printk.h>
#include <xen/pvconsole.h>
#include <xen/xen_domain.h>
#include <public/arch-arm.h>
#include <public/hvm/params.h>
#include <public/io/console.h>

#define CHUNK 256

struct pvconsole {
    spinlock_t lock; /* ring indices: drains on several vCPUs, input from the IRQ */
    paddr_t page;
    struct xencons_interface *ring;
    uint32_t port;
    bool broken; /* the guest wrote impossible indices: stop serving, as xenconsoled does */
    bool input;  /* attached to the console input multiplexer */
};

static void broken(struct domain *d, struct pvconsole *c)
{
    if (!c->broken)
        printk("d%u: PV console ring has impossible indices: console stopped", d->id);
    c->broken = true;
}

/*
 * Drain at most one ring's worth: everything that was there when the guest
 * notified fits, and a second vCPU refilling the ring while this one drains
 * cannot keep Cloison here (it notifies again and is served then).
 */
void pvconsole_poll(struct domain *d)
{
    struct pvconsole *c = d->pvcons;
    char buf[CHUNK];
    bool took = false;
    if (!c)
        return;
    for (size_t total = 0; total < sizeof(c->ring->out); total += sizeof(buf)) {
        uint64_t f = spin_lock_irqsave(&c->lock);
        long n = c->broken ? 0 : pvcons_out_take(c->ring, buf, sizeof(buf));
        if (n < 0)
            broken(d, c);
        spin_unlock_irqrestore(&c->lock, f);
        if (n <= 0)
            break;
        console_guest_write(d, buf, (size_t)n);
        took = true;
    }
    /* Tell the guest there is room again (hvc waits for it when the ring was full). */
    if (took)
        evtchn_send_to_guest(d, c->port);
}

static void notify(struct domain *d, uint32_t port)
{
    (void)port;
    pvconsole_poll(d);
}

size_t pvconsole_input(struct domain *d, const char *buf, size_t len)
{
    struct pvconsole *c = d->pvcons;
    if (!c)
        return 0;
    uint64_t f = spin_lock_irqsave(&c->lock);
    long n = c->broken ? 0 : pvcons_in_put(c->ring, buf, len);
    if (n < 0)
        broken(d, c);
    spin_unlock_irqrestore(&c->lock, f);
    if (n > 0)
        evtchn_send_to_guest(d, c->port);
    return n > 0 ? (size_t)n : 0;
}

int pvconsole_domain_init(struct domain *d)
{
    /* dom0's console is console_io; plain VMs have no Xen interface; a
     * toolstack domain's console is xenconsoled's, in dom0. */
    if (!d->xen || d->is_privileged || d->cfg.toolstack)
        return 0;
    struct pvconsole *c = xzalloc(sizeof(*c));
    if (!c)
        return -ENOMEM;
    c->lock = (spinlock_t)SPINLOCK_INIT;
    c->page = page_alloc(0); /* zeroed: an empty, consistent ring */
    int rc = c->page ? 0 : -ENOMEM;
    if (!rc)
        rc = p2m_set_page(&d->p2m, GUEST_MAGIC_BASE, c->page, P2M_RAM);
    if (!rc)
        rc = evtchn_alloc_xen_port(d, notify, &c->port);
    if (rc) {
        if (c->page)
            page_free(c->page, 0);
        xfree(c);
        printk("d%u: no PV console (error %d)", d->id, rc);
        return rc;
    }
    c->ring = phys_to_virt(c->page);
    d->pvcons = c;
    xen_set_hvm_param(d, HVM_PARAM_CONSOLE_PFN, GUEST_MAGIC_BASE >> PAGE_SHIFT);
    xen_set_hvm_param(d, HVM_PARAM_CONSOLE_EVTCHN, c->port);
    return 0;
}

void pvconsole_domain_start(struct domain *d)
{
    struct pvconsole *c = d->pvcons;
    /* A vPL011 keeps the input if there is one (it is what the user asked for). */
    if (c && !d->vpl011) {
        console_input_attach(d, pvconsole_input);
        c->input = true;
    }
}

void pvconsole_domain_destroy(struct domain *d)
{
    struct pvconsole *c = d->pvcons;
    if (!c)
        return;
    if (c->input)
        console_input_detach(d); /* returns once no input delivery runs */
    pvconsole_poll(d);           /* the last words of a dying guest */
    d->pvcons = NULL;
    /* Still mapped in d's stage 2, which is destroyed next with no vCPU running. */
    page_free(c->page, 0);
    xfree(c);
}
