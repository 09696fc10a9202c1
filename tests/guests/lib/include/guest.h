/*
 * The test-guest library: what every case can use. One case per binary; a case
 * defines test_name and test_main() (and test_secondary() if it starts vCPUs).
 * Verdict lines are documented in tests/guests/README.md.
 */
#ifndef GUEST_H
#define GUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "guest_asm.h"
#include "report.h"

/* ---- provided by the case ---- */
void test_main(void);
void test_secondary(uint64_t context_id); /* weak default: reports FAIL */

/* ---- Xen ABI subset the guests use (numbers from Xen's public headers) ---- */
#define HYPERVISOR_xen_version 17
#define HYPERVISOR_console_io 18
#define HYPERVISOR_sched_op 29
#define XENVER_version 0
#define XENVER_extraversion 1
#define CONSOLEIO_write 0
#define SCHEDOP_shutdown 2
#define SHUTDOWN_poweroff 0
#define SHUTDOWN_reboot 1
#define XEN_EPERM 1
#define XEN_EFAULT 14
#define XEN_ENOSYS 38

#define PSCI_VERSION 0x84000000u
#define PSCI_CPU_OFF 0x84000002u
#define PSCI_CPU_ON64 0xC4000003u
#define PSCI_AFFINITY_INFO64 0xC4000004u
#define PSCI_SYSTEM_OFF 0x84000008u
#define PSCI_SYSTEM_RESET 0x84000009u
#define PSCI_INVALID_PARAMETERS (-2)
#define PSCI_ALREADY_ON (-4)

long xen_hypercall(unsigned long nr, unsigned long a0, unsigned long a1, unsigned long a2,
                   unsigned long a3, unsigned long a4);
unsigned long smccc_hvc(unsigned long fid, unsigned long a1, unsigned long a2, unsigned long a3);
unsigned long smccc_smc(unsigned long fid, unsigned long a1, unsigned long a2, unsigned long a3);
void hvc_bad_imm(void);
extern const uint32_t hvc_bad_imm_insn[]; /* address of its HVC */
void secondary_entry(void);

/* PSCI through the conduit the DT's psci node names; result sign-extended. */
long psci_call(uint32_t fid, uint64_t a1, uint64_t a2, uint64_t a3);
long console_io_write(const void *buf, size_t len);
/* SCHEDOP_shutdown with this reason; returns only if the hypervisor refused. */
long sched_shutdown(uint32_t reason);

/* ---- system registers ---- */
#define read_sysreg(r)                              \
    ({                                              \
        uint64_t v_;                                \
        __asm__ volatile("mrs %0, " #r : "=r"(v_)); \
        v_;                                         \
    })
#define write_sysreg(r, v) __asm__ volatile("msr " #r ", %0" : : "r"((uint64_t)(v)))
#define isb() __asm__ volatile("isb" ::: "memory")
#define dsb_sy() __asm__ volatile("dsb sy" ::: "memory")
static inline void irq_enable(void)
{
    __asm__ volatile("msr daifclr, #2" ::: "memory");
}
static inline void irq_disable(void)
{
    __asm__ volatile("msr daifset, #2" ::: "memory");
}
/* In a loop waiting for another vCPU (Linux's cpu_relax()): under -icount
 * QEMU runs every CPU in one thread and leaves one only at such a hint. */
static inline void cpu_relax(void)
{
    __asm__ volatile("yield" ::: "memory");
}

static inline void wfi(void)
{
    __asm__ volatile("wfi" ::: "memory");
}
static inline uint64_t cntvct(void)
{
    isb();
    return read_sysreg(cntvct_el0);
}
static inline uint64_t cntfrq(void)
{
    return read_sysreg(cntfrq_el0);
}

/* MMIO with plain LDR/STR so a trapping hypervisor always gets a valid syndrome. */
static inline uint32_t mmio_read32(uintptr_t a)
{
    uint32_t v;
    __asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(a) : "memory");
    return v;
}
static inline void mmio_write32(uintptr_t a, uint32_t v)
{
    __asm__ volatile("str %w0, [%1]" : : "r"(v), "r"(a) : "memory");
}
static inline uint64_t mmio_read64(uintptr_t a)
{
    uint64_t v;
    __asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(a) : "memory");
    return v;
}

/* ---- platform facts read from the guest DT (lib/dt.c) ---- */
struct platform {
    uint64_t ram_base, ram_size;
    unsigned cpu_count;
    uint64_t cpu_mpidr[GUEST_MAX_CPUS * 4];
    int gic_version;           /* 2 or 3; 0 = none found */
    uint64_t gicd, gicr, gicc; /* gicr for v3, gicc for v2 */
    uint64_t uart;             /* vPL011 (arm,sbsa-uart), 0 = none */
    bool psci_smc;             /* psci method = "smc" */
    bool xen_node;             /* /hypervisor "xen,xen" present */
};
extern struct platform plat;
/* The device tree the hypervisor handed over in x0 (it lies in guest RAM). */
extern const void *boot_fdt;
int dt_parse(const void *fdt); /* 0 or a negative reason code */
/* The value of "key=N" in the domain's bootargs (/chosen/bootargs), else dflt. */
unsigned long bootarg_uint(const char *key, unsigned long dflt);

/* ---- console and verdicts (lib/console.c; lib/report.c, see report.h) ---- */
void console_init(void);
void gprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Result of the zero-length console_io probe at boot: 0 or a negative Xen errno. */
extern long console_io_probe_result;

/* ---- exceptions (lib/trap.c) ---- */
struct trap_frame {
    uint64_t x[31];
    uint64_t elr, spsr, pad;
};
_Static_assert(sizeof(struct trap_frame) == FRAME_SIZE, "entry.S frame layout");
struct trap_record {
    bool taken;
    uint64_t esr, far, elr;
    uint64_t resume; /* where to continue; 0 = the instruction after ELR */
};
/* Arm a one-shot catch: the next synchronous exception is recorded into *rec
 * and execution resumes at rec->resume (or skips the faulting instruction),
 * instead of failing the test. Set rec->resume after calling this. */
void trap_expect(struct trap_record *rec);
/* Drop this vCPU's armed catch when the access it guarded did not fault. */
void trap_expect_cancel(void);
typedef void (*irq_handler_t)(unsigned intid);
void irq_register(unsigned intid, irq_handler_t h);
#define ESR_EC(esr) (((esr) >> 26) & 0x3f)

/* ---- GIC (lib/gic.c) and virtual timer (lib/timer.c) ---- */
int gic_init(void); /* 0 or negative; per-CPU part included */
int gic_cpu_init(void);
void gic_enable_ppi(unsigned intid);
unsigned gic_ack(void);
void gic_eoi(unsigned intid);
/* Per-interrupt helpers (private INTIDs are this vCPU's). */
void gic_set_priority(unsigned intid, uint8_t prio);
void gic_enable(unsigned intid);
void gic_set_pending(unsigned intid); /* ISPENDR: software-pending */
void gic_set_edge(unsigned intid);    /* ICFGR: edge-triggered (PPIs/SPIs) */
void gic_route_spi(unsigned intid, unsigned cpu);
unsigned gic_nr_intids(void);                  /* from GICD_TYPER.ITLinesNumber */
void gic_send_sgi(unsigned cpu, unsigned sgi); /* to vCPU index cpu (plat.cpu_mpidr) */
unsigned gic_last_source(void); /* v2: CPUID of the SGI this vCPU last acknowledged */
#define VTIMER_PPI 27
void vtimer_arm_at(uint64_t cval);
void vtimer_stop(void);
/* A deadline every `period` counter ticks on absolute CVAL values, so
 * lateness never accumulates (the latency and speedometer guests). */
struct deadlines {
    uint64_t period, next;
};
void deadlines_start(struct deadlines *d, uint64_t period); /* the first one period from now */
/* In the timer's handler, now read at its first instruction: how late the
 * deadline was (ticks); *passed: deadlines that went by meanwhile without an
 * interrupt of their own (missed outright). The timer is armed for the next
 * deadline still ahead. */
uint64_t deadlines_hit(struct deadlines *d, uint64_t now, uint64_t *passed);

/* ---- order statistics (lib/stats.c) ---- */
/* The nearest-rank quantile of a[0..n) (per_mille 990 = p99); reorders a. */
uint32_t stats_quantile(uint32_t *a, size_t n, unsigned per_mille);
/* Counter ticks (CNTFRQ) to microseconds. */
uint64_t ticks_to_us(uint64_t ticks);

/* ---- stage-1 identity map (lib/mmu.c) ---- */
/* A VA the guest's stage 1 leaves unmapped (for -EFAULT checks). */
#define GUEST_UNMAPPED_VA 0x400000000ull
/* An IPA outside guest RAM and every device on Xen's domU map and Cloison's. */
#define GUEST_HOLE_IPA 0x800000000ull
void mmu_enable(void);
/* Map the 2 MiB block holding pa (< 1 GiB) as Normal memory (grant window, magic pages). */
void mmu_map_normal_2m(uint64_t pa);

#endif
