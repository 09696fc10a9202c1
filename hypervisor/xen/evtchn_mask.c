/*
 * A port's mask and pending state, in whichever ABI its domain uses now
 * (2-level bits in shared_info, or FIFO event words): EVTCHNOP_unmask and
 * SCHEDOP_poll's question. Under the domain's pending_lock alone.
 */
#include <cloison/errno.h>
#include <cloison/spinlock.h>
#include <xen/evtchn.h>
#include <xen/xen_domain.h>
#include "evtchn_priv.h"

int evtchn_unmask(struct xen_dom *x, uint32_t port)
{
    spin_lock(&x->pending_lock);
    int rc = evtchn_port_valid(x, port) ? 0 : -EINVAL;
    if (!rc && x->fifo)
        evtchn_fifo_unmask(x, port);
    else if (!rc)
        evtchn_2l_unmask(x, evtchn_chan(x, port)->notify_vcpu, port);
    spin_unlock(&x->pending_lock);
    return rc;
}

static unsigned int bit_flag(const uint64_t *words, uint32_t port, unsigned int flag)
{
    return __atomic_load_n(&words[port / 64], __ATOMIC_SEQ_CST) & (1ULL << (port % 64)) ? flag : 0;
}

unsigned int evtchn_port_flags(struct xen_dom *x, uint32_t port)
{
    spin_lock(&x->pending_lock);
    unsigned int r = 0;
    if (!evtchn_port_valid(x, port))
        r = 0;
    else if (x->fifo)
        r = evtchn_fifo_port_flags(x, port);
    else
        r = bit_flag(x->shinfo->evtchn_pending, port, EVTCHN_PORT_PENDING) |
            bit_flag(x->shinfo->evtchn_mask, port, EVTCHN_PORT_MASKED);
    spin_unlock(&x->pending_lock);
    return r;
}
