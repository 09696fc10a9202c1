/*
 * SYSCTL readconsole (1): the hypervisor's log ring (console/conring.c) as
 * Xen 4.17's read_console_ring serves it to xl dmesg and xenconsoled
 * --log=hv: from the oldest byte kept, or with `incremental` from `index`
 * when that lies within what is kept; at most `count` bytes; `count` and
 * `index` come back as the bytes read and where the read ended, so the next
 * incremental read goes on from there. `clear` drops what was read (all of
 * it, if more was written than the ring holds meanwhile). A copy fault is
 * -EFAULT with nothing written back. The bytes go out through a small
 * buffer, the ring's lock held only while filling it, never across a copy
 * to the guest.
 */
#include <cloison/errno.h>
#include <console/conring.h>
#include <xen/guest_copy.h>
#include "ctl.h"

int64_t sysctl_readconsole(struct vcpu *v, struct xen_sysctl *op, bool *copyback)
{
    struct xen_sysctl_readconsole *r = &op->u.readconsole;
    char buf[256];
    uint32_t c, p, sofar = 0;
    conring_span(r->incremental, r->index, &c, &p);
    while (c != p && sofar < r->count) {
        uint32_t n = MIN(MIN(p - c, r->count - sofar), (uint32_t)sizeof(buf));
        conring_copy(c, buf, n);
        if (copy_to_guest(v, r->buffer + sofar, buf, n))
            return -EFAULT;
        sofar += n;
        c += n;
    }
    if (r->clear)
        conring_clear(c, p);
    r->count = sofar;
    r->index = c;
    *copyback = true;
    return 0;
}
