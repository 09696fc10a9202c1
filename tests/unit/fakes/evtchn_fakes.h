/*
 * What xen/evtchn*.c needs from the rest of the hypervisor, faked for host
 * tests (included by one test file per binary): the heap, counted so a test
 * can see what a port table costs and that teardown gives it all back; the
 * upcall (locks: fakes/lock_fake.c, which aborts on a lock taken twice); the configured port count; guest frames for FIFO pages.
 */
#ifndef TESTS_UNIT_EVTCHN_FAKES_H
#define TESTS_UNIT_EVTCHN_FAKES_H

#include <stdlib.h>
#include <string.h>
#include <xen/evtchn.h>
#include <cloison/mm.h>
#include <cloison/spinlock.h>
#include "lock_fake.h"
#include <xen/xen_domain.h>

/* Live heap objects and their bytes (as asked for, before any rounding);
 * heap_fail_in = n makes the n-th allocation from now fail. */
static size_t heap_objs, heap_bytes;
static int heap_fail_in;

struct fake_hdr {
    size_t size;
    size_t pad; /* keeps the object 16-byte aligned, as malloc's */
};

void *xzalloc(size_t size)
{
    if (heap_fail_in > 0 && --heap_fail_in == 0)
        return NULL;
    struct fake_hdr *h = calloc(1, sizeof(*h) + size);
    if (!h)
        return NULL;
    h->size = size;
    heap_objs++;
    heap_bytes += size;
    return h + 1;
}

void *xzalloc_guest(size_t size)
{
    return xzalloc(size);
}

void xfree(void *p)
{
    if (!p)
        return;
    struct fake_hdr *h = (struct fake_hdr *)p - 1;
    heap_objs--;
    heap_bytes -= h->size;
    free(h);
}

static int raised[XEN_DOM_MAX_VCPUS];
void xen_upcall_raise(struct xen_dom *x, unsigned int vcpu)
{
    (void)x;
    raised[vcpu]++;
}

/* "cloison,event-channels" of the next domain a test creates (0 = unset). */
static uint32_t configured_ports;
uint32_t evtchn_configured_ports(const struct xen_dom *x)
{
    (void)x;
    return configured_ports;
}

/* A domain as xen_domain_init makes it; the port count is taken now. */
static struct xen_dom *fake_dom(uint16_t id, bool privileged, uint32_t ports)
{
    struct xen_dom *x = calloc(1, sizeof(*x));
    x->domid = id;
    x->privileged = privileged;
    x->nr_vcpus = 2;
    x->shinfo = aligned_alloc(4096, 4096);
    memset(x->shinfo, 0, 4096);
    configured_ports = ports;
    evtchn_init(x);
    return x;
}

static void fake_dom_free(struct xen_dom *x)
{
    evtchn_destroy(x);
    free(x->shinfo);
    free(x);
}

#endif
