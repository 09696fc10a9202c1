/*
 * console_io: CONSOLEIO_write is allowed for every domain (Xen drops domU
 * writes by default, which leaves unikernels blind); the output goes to that
 * domain's console log and, rate-limited, to the hypervisor console.
 * CONSOLEIO_read hands dom0 the bytes typed while it has the console input
 * (xen/dom0_console.c). Xen 4.17 marks dom0less domUs as console domains,
 * so their reads pass its XSM check and return 0 when nothing is queued
 * (checked against Xen with tests/guests/cases/xen_sched.c); a domU here
 * reads 0 bytes always, because the typed bytes are dom0's alone (Xen would
 * hand a domU whatever dom0 has not read yet).
 */
#include <console/console.h>
#include <xen/dom0_console.h>
#include <core/domain.h>
#include <cloison/errno.h>
#include <xen/guest_copy.h>
#include <core/vcpu.h>
#include <public/xen.h>
#include "hypercall.h"

#define CHUNK 128

/* CHUNKS_PER_CALL * CHUNK bytes now, the rest as a continuation: a domain
 * writing gigabytes holds its pCPU only in short stretches. */
#define CHUNKS_PER_CALL 16

static int64_t console_write(struct vcpu *v, uint64_t cmd, uint32_t left, uint64_t buf)
{
    char tmp[CHUNK];
    for (int chunks = 0; left; chunks++) {
        if (chunks == CHUNKS_PER_CALL)
            return hypercall_continue(v, cmd, left, buf, 0, 0);
        uint32_t n = left < CHUNK ? left : CHUNK;
        if (copy_from_guest(v, tmp, buf, n))
            return -EFAULT;
        console_guest_write(v->domain, tmp, n);
        buf += n;
        left -= n;
    }
    return 0;
}

/* Non-blocking: the number of bytes copied, 0 when nothing was typed. */
static int64_t console_read(struct vcpu *v, uint32_t count, uint64_t buf)
{
    /* The result is a count or an error: counts must stay positive ints. */
    if (count > 0x7fffffffu)
        return -E2BIG;
    char tmp[DOM0_CONSOLE_RX_SIZE];
    size_t n = dom0_console_take(v->domain, tmp, count < sizeof(tmp) ? count : sizeof(tmp));
    if (n && copy_to_guest(v, buf, tmp, n)) {
        dom0_console_untake(v->domain, n);
        return -EFAULT;
    }
    return (int64_t)n;
}

int64_t do_console_io(struct vcpu *v, uint64_t cmd, uint64_t count, uint64_t buf, uint64_t a3,
                      uint64_t a4)
{
    (void)a3, (void)a4;
    /* cmd and count are unsigned ints in the ABI; upper halves are ignored. */
    switch ((uint32_t)cmd) {
    case CONSOLEIO_write:
        return console_write(v, cmd, (uint32_t)count, buf);
    case CONSOLEIO_read:
        if (!v->domain->is_privileged)
            return 0;
        return console_read(v, (uint32_t)count, buf);
    default:
        return -ENOSYS;
    }
}
