/*
 * console_io: CONSOLEIO_write is allowed for every domain (Xen drops domU
 * writes by default, which leaves unikernels blind); the output goes to that
 * domain's console log and, rate-limited, to the hypervisor console.
 * CONSOLEIO_read (dom0 input) comes with the console multiplexer.
 */
#include <cloison/console.h>
#include <cloison/domain.h>
#include <cloison/errno.h>
#include <cloison/guest_copy.h>
#include <cloison/vcpu.h>
#include <public/xen.h>
#include "hypercall.h"

#define CHUNK 128

int64_t do_console_io(struct vcpu *v, uint64_t cmd, uint64_t count, uint64_t buf, uint64_t a3,
                      uint64_t a4)
{
    (void)a3, (void)a4;
    if (cmd != CONSOLEIO_write)
        return -ENOSYS;
    /* count is an unsigned int in the ABI; the upper half is ignored. */
    uint32_t left = (uint32_t)count;
    char tmp[CHUNK];
    while (left) {
        uint32_t n = left < CHUNK ? left : CHUNK;
        if (copy_from_guest(v, tmp, buf, n))
            return -EFAULT;
        console_guest_write(v->domain, tmp, n);
        buf += n;
        left -= n;
    }
    return 0;
}
