/*
 * PSCI calls to the firmware below Cloison (host PSCI): secondary CPU
 * bring-up and system power-off/reset. The host device tree's psci node
 * names the conduit; from EL2 only smc reaches the firmware (hvc would trap
 * to Cloison itself), so a node asking for anything else is not used.
 */
#include <cloison/printk.h>
#include <cloison/host_psci.h>
#include <libfdt.h>
#include <string.h>

#define PSCI_0_2_FN64_CPU_ON 0xC4000003UL
#define PSCI_0_2_FN_SYSTEM_OFF 0x84000008UL
#define PSCI_0_2_FN_SYSTEM_RESET 0x84000009UL
#define PSCI_0_2_FN_PSCI_VERSION 0x84000000UL

static bool have_psci;

static uint64_t psci_call(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
    register uint64_t x0 __asm__("x0") = fn;
    register uint64_t x1 __asm__("x1") = a1;
    register uint64_t x2 __asm__("x2") = a2;
    register uint64_t x3 __asm__("x3") = a3;
    __asm__ volatile("smc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : "memory");
    return x0;
}

int host_psci_init(const void *fdt)
{
    int node = fdt_node_offset_by_compatible(fdt, -1, "arm,psci-0.2");
    if (node < 0)
        node = fdt_node_offset_by_compatible(fdt, -1, "arm,psci-1.0");
    if (node < 0) {
        printk("psci: no PSCI 0.2+ node in the device tree: single CPU, no power-off");
        return -1;
    }
    int len;
    const char *method = fdt_getprop(fdt, node, "method", &len);
    /* From EL2, HVC would trap to Cloison itself: only SMC reaches firmware. */
    if (!method || len != sizeof("smc") || memcmp(method, "smc", sizeof("smc")) != 0) {
        printk("psci: property 'method' of the PSCI node is not \"smc\", the only conduit "
               "from EL2: no PSCI (one CPU, no power-off)");
        return -1;
    }
    have_psci = true;
    uint64_t v = psci_call(PSCI_0_2_FN_PSCI_VERSION, 0, 0, 0);
    printk("psci: host PSCI %lu.%lu via smc", (v >> 16) & 0xffff, v & 0xffff);
    return 0;
}

int64_t host_psci_cpu_on(uint64_t mpidr, paddr_t entry, uint64_t context)
{
    if (!have_psci)
        return -1;
    return (int64_t)psci_call(PSCI_0_2_FN64_CPU_ON, mpidr, entry, context);
}

__noreturn void host_system_off(void)
{
    printk_flush(); /* the console's last lines, before the power goes */
    if (have_psci)
        psci_call(PSCI_0_2_FN_SYSTEM_OFF, 0, 0, 0);
    printk("psci: SYSTEM_OFF failed; halting");
    printk_flush();
    for (;;)
        __asm__ volatile("wfi");
}

__noreturn void host_system_reset(void)
{
    printk_flush();
    if (have_psci)
        psci_call(PSCI_0_2_FN_SYSTEM_RESET, 0, 0, 0);
    host_system_off();
}
