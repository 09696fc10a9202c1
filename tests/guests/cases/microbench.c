/*
 * microbench: per-operation costs named as in kvm-unit-tests' arm/micro-bench,
 * in CNTVCT ticks (x1000 for resolution). Under QEMU -icount shift=N a tick is
 * (1e9 / CNTFRQ) / 2^N instructions (bench/micro.py converts).
 *
 *   hvc            HVC #0 with SMCCC_VERSION: guest -> hypervisor -> guest
 *   mmio_read_vgic a load of GICD_IIDR: a trapped, emulated distributor read
 *   eoi            an EOI of INTID 1023 (spurious: nothing is active), which the
 *                  virtual CPU interface handles without a trap on v3 and v2
 *   ipi            SGI 1 to vCPU 1, spinning until vCPU 1's handler has run
 *   ipi_self       SGI 1 to this vCPU, taken at once (injection + guest entry)
 *   mmio_read_uart a load of the vPL011's flag register: a trapped device read
 *                  outside the vGIC, as a polling console driver does
 *   uart_putc      one character as Linux's PL011 earlycon writes it: FR until
 *                  not full, DR, FR until not busy (three exits); the bytes go
 *                  out as UART_LINES lines of dots
 *
 * Each op is also checked (SMCCC version, IIDR equal every time, every IPI
 * taken exactly once), so a broken path is a FAIL, not a fast number.
 */
#include "guest.h"

const char test_name[] = "microbench";

#define SMCCC_VERSION 0x80000000u
#define GICD_IIDR 0x0008
#define GICC_EOIR 0x0010
#define SPURIOUS 1023
#define IPI_SGI 1
#define N_FAST 20000
#define N_IPI 2000
#define UART_DR 0x00
#define UART_FR 0x18
#define UART_FR_BUSY (1u << 3)
#define UART_FR_TXFF (1u << 5)
#define UART_LINES 20
#define UART_LINE_LEN 64 /* the newline included */

static volatile uint32_t ipi_count[2];
static volatile bool secondary_ready;

static unsigned this_cpu(void)
{
    return read_sysreg(mpidr_el1) & (GUEST_MAX_CPUS - 1);
}

static void on_ipi(unsigned intid)
{
    unsigned me = this_cpu();

    if (me < 2)
        __atomic_fetch_add(&ipi_count[me], 1, __ATOMIC_RELEASE);
}

static void eoi_spurious(void)
{
    if (plat.gic_version == 3) {
        write_sysreg(S3_0_C12_C12_1, SPURIOUS); /* ICC_EOIR1_EL1 */
        isb();
    } else {
        mmio_write32(plat.gicc + GICC_EOIR, SPURIOUS);
    }
}

void test_secondary(uint64_t context_id)
{
    gic_set_priority(IPI_SGI, 0x80);
    gic_enable(IPI_SGI);
    irq_enable();
    __atomic_store_n(&secondary_ready, true, __ATOMIC_RELEASE);
    for (;;)
        wfi(); /* woken by each IPI; vCPU 0 powers the domain off */
}

/* Wait until vCPU cpu has counted `want` IPIs; false after 2 s of counter time. */
static bool wait_ipi(unsigned cpu, uint32_t want)
{
    uint64_t t0 = cntvct();

    while (__atomic_load_n(&ipi_count[cpu], __ATOMIC_ACQUIRE) != want) {
        cpu_relax();
        if (cntvct() - t0 > 2 * cntfrq())
            return false;
    }
    return true;
}

/* Linux's pl011_putc (its PL011 earlycon). */
static void uart_putc(char c)
{
    while (mmio_read32(plat.uart + UART_FR) & UART_FR_TXFF)
        cpu_relax();
    mmio_write32(plat.uart + UART_DR, (uint8_t)c);
    while (mmio_read32(plat.uart + UART_FR) & UART_FR_BUSY)
        cpu_relax();
}

/* Ticks for N_FAST flag-register reads, and for UART_LINES lines of
 * UART_LINE_LEN characters (0, 0 with no vPL011); the FR value is the same
 * every time (an idle transmitter, nothing received) or it is a FAIL. */
static void bench_uart(uint64_t *read, uint64_t *putc)
{
    *read = *putc = 0;
    if (!plat.uart)
        return;
    uint32_t fr = mmio_read32(plat.uart + UART_FR);
    uint64_t t0 = cntvct();
    for (unsigned i = 0; i < N_FAST; i++)
        if (mmio_read32(plat.uart + UART_FR) != fr)
            test_fail("mmio_read_uart: FR changed (0x%x, then 0x%x)", fr,
                      mmio_read32(plat.uart + UART_FR));
    *read = cntvct() - t0;
    t0 = cntvct();
    for (unsigned l = 0; l < UART_LINES; l++)
        for (unsigned i = 0; i < UART_LINE_LEN; i++)
            uart_putc(i == UART_LINE_LEN - 1 ? '\n' : '.');
    *putc = cntvct() - t0;
}

static uint64_t per_op_milli(uint64_t ticks, unsigned n)
{
    return ticks * 1000 / n;
}

void test_main(void)
{
    uint64_t t0, hvc, mmio, eoi, ipi = 0, ipi_self, uart_read, uart_out;
    uint32_t iidr = mmio_read32(plat.gicd + GICD_IIDR);
    bool have_cpu1 = plat.cpu_count >= 2;

    irq_register(IPI_SGI, on_ipi);
    gic_set_priority(IPI_SGI, 0x80);
    gic_enable(IPI_SGI);

    unsigned long version = smccc_hvc(SMCCC_VERSION, 0, 0, 0);
    if ((uint32_t)version >> 31 || version < 0x10000) /* negative: NOT_SUPPORTED */
        test_fail("hvc: SMCCC_VERSION ret=0x%lx", version);
    t0 = cntvct();
    for (unsigned i = 0; i < N_FAST; i++)
        if (smccc_hvc(SMCCC_VERSION, 0, 0, 0) != version)
            test_fail("hvc: SMCCC_VERSION changed");
    hvc = cntvct() - t0;

    t0 = cntvct();
    for (unsigned i = 0; i < N_FAST; i++)
        if (mmio_read32(plat.gicd + GICD_IIDR) != iidr)
            test_fail("mmio_read_vgic: GICD_IIDR changed");
    mmio = cntvct() - t0;

    t0 = cntvct();
    for (unsigned i = 0; i < N_FAST; i++)
        eoi_spurious();
    eoi = cntvct() - t0;

    bench_uart(&uart_read, &uart_out);

    irq_enable();
    t0 = cntvct();
    for (unsigned i = 0; i < N_IPI; i++) {
        gic_send_sgi(0, IPI_SGI);
        if (!wait_ipi(0, i + 1))
            test_fail("ipi_self %u not taken (count=%u)", i, ipi_count[0]);
    }
    ipi_self = cntvct() - t0;

    if (have_cpu1) {
        long rc = psci_call(PSCI_CPU_ON64, plat.cpu_mpidr[1], (uintptr_t)secondary_entry, 0);
        if (rc)
            test_fail("CPU_ON(1) ret=%ld", rc);
        for (t0 = cntvct(); !__atomic_load_n(&secondary_ready, __ATOMIC_ACQUIRE);) {
            cpu_relax();
            if (cntvct() - t0 > 5 * cntfrq())
                test_fail("vCPU 1 did not start");
        }
        t0 = cntvct();
        for (unsigned i = 0; i < N_IPI; i++) {
            gic_send_sgi(1, IPI_SGI);
            if (!wait_ipi(1, i + 1))
                test_fail("ipi %u not taken by vCPU 1 (count=%u)", i, ipi_count[1]);
        }
        ipi = cntvct() - t0;
    }
    irq_disable();
    if (ipi_count[0] != N_IPI || (have_cpu1 && ipi_count[1] != N_IPI))
        test_fail("ipi counts %u,%u expected %d", ipi_count[0], ipi_count[1], N_IPI);
    test_pass("hvc_milli=%llu mmio_read_vgic_milli=%llu eoi_milli=%llu ipi_milli=%llu "
              "ipi_self_milli=%llu mmio_read_uart_milli=%llu uart_putc_milli=%llu cntfrq=%llu",
              (unsigned long long)per_op_milli(hvc, N_FAST),
              (unsigned long long)per_op_milli(mmio, N_FAST),
              (unsigned long long)per_op_milli(eoi, N_FAST),
              (unsigned long long)(have_cpu1 ? per_op_milli(ipi, N_IPI) : 0),
              (unsigned long long)per_op_milli(ipi_self, N_IPI),
              (unsigned long long)per_op_milli(uart_read, N_FAST),
              (unsigned long long)per_op_milli(uart_out, UART_LINES * UART_LINE_LEN),
              (unsigned long long)cntfrq());
}
