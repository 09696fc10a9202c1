/* Typed wrappers over the raw hypercall and SMCCC stubs. */
#include "guest.h"

long psci_call(uint32_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
    unsigned long r = plat.psci_smc ? smccc_smc(fid, a1, a2, a3) : smccc_hvc(fid, a1, a2, a3);

    /* PSCI returns int32 results in w0. */
    return (long)(int32_t)r;
}

long console_io_write(const void *buf, size_t len)
{
    return xen_hypercall(HYPERVISOR_console_io, CONSOLEIO_write, len, (uintptr_t)buf, 0, 0);
}

long sched_shutdown(uint32_t reason)
{
    /* struct sched_shutdown { uint32_t reason; } */
    static volatile uint32_t arg;

    arg = reason;
    return xen_hypercall(HYPERVISOR_sched_op, SCHEDOP_shutdown, (uintptr_t)&arg, 0, 0, 0);
}
