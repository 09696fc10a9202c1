/*
 * The one input of the event-channel core that lives in struct domain: the
 * port count from the domain's boot description. Kept out of evtchn.c so that
 * file needs only struct xen_dom and runs in host unit tests.
 */
#include <core/domain.h>
#include <core/domain_cfg.h>
#include <xen/evtchn.h>
#include <xen/xen_domain.h>

_Static_assert(DOMCFG_MAX_EVENT_CHANNELS == EVTCHN_FIFO_NR_CHANNELS,
               "the parser's bound is the FIFO ABI's port space");

uint32_t evtchn_configured_ports(const struct xen_dom *x)
{
    return x->d ? x->d->cfg.event_channels : 0;
}
