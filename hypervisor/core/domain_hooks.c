/*
 * What the layers above core attach to every domain: an ordered table of
 * parts, registered once at boot by the composition root (boot/compose.c)
 * before any domain exists and never changed afterwards, so it is read
 * without a lock.
 */
#include <cloison/printk.h>
#include <core/domain.h>

#include "domain_hooks.h"

#define DOMAIN_MAX_PARTS 8

static struct domain_part parts[DOMAIN_MAX_PARTS];
static unsigned int nr_parts;

void domain_register_part(const struct domain_part *p)
{
    if (nr_parts == DOMAIN_MAX_PARTS)
        panic("domain part %s: more than %d parts", p->name, DOMAIN_MAX_PARTS);
    parts[nr_parts++] = *p;
}

int domain_parts_init(struct domain *d)
{
    while (d->parts_begun < nr_parts) {
        int rc = parts[d->parts_begun++].init(d);
        if (rc)
            return rc;
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
    while (d->parts_begun > 0)
        parts[--d->parts_begun].destroy(d);
}
