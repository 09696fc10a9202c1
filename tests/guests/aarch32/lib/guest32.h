/*
 * The AArch32 test guests' library (tests/guests/aarch32/lib): each case
 * defines test_name (with GUEST32_NAME) and test_main(), and test_secondary()
 * if it starts vCPUs. The same sources build an A32 and a T32 image.
 */
#ifndef GUEST32_H
#define GUEST32_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "report.h" /* test_name, test_pass/fail/run, console_write, domain_poweroff */

#ifdef __thumb__
#define GUEST32_ISA "t32"
#else
#define GUEST32_ISA "a32"
#endif
#define GUEST32_NAME(n) const char test_name[] = GUEST32_ISA "_" n

#define HYPERVISOR_xen_version 17
#define HYPERVISOR_console_io 18
#define HYPERVISOR_sched_op 29
#define XENVER_version 0
#define CONSOLEIO_write 0
#define SCHEDOP_shutdown 2
#define SHUTDOWN_poweroff 0
#define XEN_ENOSYS 38

#define PSCI_VERSION 0x84000000u
#define PSCI_CPU_OFF 0x84000002u
#define PSCI_CPU_ON 0x84000003u
#define PSCI_AFFINITY_INFO 0x84000004u
#define PSCI_INVALID_PARAMETERS (-2)

#define GUEST32_MAX_CPUS 4
#define VPL011 0x22000000u
#define UART_IMSC 0x38u

void test_main(void);
void test_secondary(unsigned int cpu, uint32_t cpsr);

/* Boot state seen by the entry code. */
struct boot_state {
    uint32_t r0, r1, r2, cpsr;
};
extern struct boot_state boot_state;

/* Saved by the vectors: spsr, r0-r12, return address (the banked LR). */
struct frame32 {
    uint32_t spsr;
    uint32_t r[13];
    uint32_t lr;
};
enum trap_kind { T_RESET, T_UNDEF, T_SVC, T_PABT, T_DABT, T_HYP, T_IRQ, T_FIQ };
/* Installed by a case to handle an exception; returns false for "unexpected"
 * (the library then fails the test). */
extern bool (*trap_hook)(enum trap_kind kind, struct frame32 *f);

long xen_hypercall(uint32_t nr, uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3, uint32_t a4);
long smccc_hvc(uint32_t fid, uint32_t a1, uint32_t a2, uint32_t a3);
long smc32(uint32_t fid, uint32_t a1, uint32_t a2, uint32_t a3);
long console_io_write(const char *s, size_t len);
void gprintf(const char *fmt, ...);
void uart_puts(const char *s);

uint64_t cntvct(void);
uint32_t cntfrq(void);
void udelay(uint32_t us);

uint32_t fiq_mmio(uint32_t addr, uint32_t val);
uint32_t read_mvfr0(void);
uint32_t read_mvfr1(void);
uint32_t load_from(uint32_t addr);
void hvc_bad_imm(void);
uint32_t mrc_impdef(void);
void secondary_entry(void);

static inline uint32_t mmio_read32(uint32_t a)
{
    return *(volatile uint32_t *)a;
}
static inline void mmio_write32(uint32_t a, uint32_t v)
{
    *(volatile uint32_t *)a = v;
}

#define MRC(opc1, crn, crm, opc2)                                                            \
    ({                                                                                       \
        uint32_t v_;                                                                         \
        __asm__ volatile("mrc p15, " #opc1 ", %0, c" #crn ", c" #crm ", " #opc2 : "=r"(v_)); \
        v_;                                                                                  \
    })
#define MCR(opc1, crn, crm, opc2, val) \
    __asm__ volatile("mcr p15, " #opc1 ", %0, c" #crn ", c" #crm ", " #opc2 ::"r"((uint32_t)(val)))
#define isb() __asm__ volatile("isb" ::: "memory")

#endif
