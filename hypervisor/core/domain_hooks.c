/*
 * What the layers above core attach to every domain: an ordered table of
 * parts and the lifecycle listeners, registered once at boot by the
 * composition root (boot/compose.c) before any domain exists and never
 * changed afterwards, so both are read without a lock.
 */
#include <cloison/printk.h>
#include <core/domain.h>
#include <core/domain_event.h>
#include <core/footprint.h>
#include <core/vcpu.h>

#include "domain_hooks.h"

#define DOMAIN_MAX_PARTS 8
#define DOMAIN_MAX_LISTENERS 4

static struct domain_part parts[DOMAIN_MAX_PARTS];
static unsigned int nr_parts;
static domain_event_fn listeners[DOMAIN_MAX_LISTENERS];
static unsigned int nr_listeners;

void domain_register_part(const struct domain_part *p)
{
    if (nr_parts == DOMAIN_MAX_PARTS)
        panic("domain part %s: more than %d parts", p->name, DOMAIN_MAX_PARTS);
    parts[nr_parts++] = *p;
}

int domain_parts_init(struct domain *d, struct footprint *fp)
{
    while (d->parts_begun < nr_parts) {
        const struct domain_part *p = &parts[d->parts_begun++];
        int rc = p->init(d);
        if (rc)
            return rc;
        footprint_mark(fp, p->name, 0);
    }
    return 0;
}

void domain_parts_start(struct domain *d)
{
    for (unsigned int i = 0; i < nr_parts; i++)
        if (parts[i].start)
            parts[i].start(d);
}

void domain_parts_destroy(struct domain *d)
{
    while (d->parts_begun > 0) {
        const struct domain_part *p = &parts[--d->parts_begun];
        if (p->destroy)
            p->destroy(d);
    }
}

bool domain_parts_in_use(const struct domain *d)
{
    for (unsigned int i = 0; i < d->parts_begun; i++)
        if (parts[i].in_use && parts[i].in_use(d))
            return true;
    return false;
}

void domain_parts_dump_vcpu(struct vcpu *v)
{
    for (unsigned int i = 0; i < nr_parts && i < v->domain->parts_begun; i++)
        if (parts[i].dump_vcpu)
            parts[i].dump_vcpu(v);
}

void domain_add_event_listener(domain_event_fn fn)
{
    if (nr_listeners == DOMAIN_MAX_LISTENERS)
        panic("more than %d domain event listeners", DOMAIN_MAX_LISTENERS);
    listeners[nr_listeners++] = fn;
}

void domain_notify(enum domain_event ev, uint16_t domid, struct domain *d)
{
    for (unsigned int i = 0; i < nr_listeners; i++)
        listeners[i](ev, domid, d);
}
