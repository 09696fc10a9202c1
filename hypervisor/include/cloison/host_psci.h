/* Power control through the host firmware (arch/arm64/host_psci.c). */
#ifndef CLOISON_HOST_PSCI_H
#define CLOISON_HOST_PSCI_H
#include <cloison/types.h>
int host_psci_init(const void *fdt);
int64_t host_psci_cpu_on(uint64_t mpidr, paddr_t entry, uint64_t context);
__noreturn void host_system_off(void);
__noreturn void host_system_reset(void);
#endif
