/*
 * The AArch32 guests' runtime: hypercalls (HVC #0xEA1, number in r12),
 * SMCCC over HVC #0, console (console_io, else the vPL011), the end of the
 * domain (the verdict lines are tests/guests/lib/report.c's, shared with the
 * 64-bit guests), the counter, and the exception dispatch the vectors
 * (start.S) call.
 */
#include <lib/printf.h>
#include <string.h>

#include "guest32.h"

struct boot_state boot_state;
bool (*trap_hook)(enum trap_kind kind, struct frame32 *f);
/* 16 KiB per vCPU (start.S): SVC, ABT, UND, IRQ and FIQ stacks. */
uint8_t guest32_stacks[GUEST32_MAX_CPUS][16384] __attribute__((aligned(16)));

static bool use_uart;

void guest32_boot(uint32_t r0, uint32_t r1, uint32_t r2, uint32_t cpsr);
void guest32_secondary(uint32_t ctx, uint32_t cpsr);
void guest32_trap(uint32_t kind, struct frame32 *f);

long xen_hypercall(uint32_t nr, uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3, uint32_t a4)
{
    register uint32_t r0 __asm__("r0") = a0;
    register uint32_t r1 __asm__("r1") = a1;
    register uint32_t r2 __asm__("r2") = a2;
    register uint32_t r3 __asm__("r3") = a3;
    register uint32_t r4 __asm__("r4") = a4;
    register uint32_t r12 __asm__("r12") = nr;

    __asm__ volatile(".arch_extension virt\n\thvc #0xea1"
                     : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3), "+r"(r4), "+r"(r12)
                     :
                     : "memory");
    return (long)r0;
}

long smccc_hvc(uint32_t fid, uint32_t a1, uint32_t a2, uint32_t a3)
{
    register uint32_t r0 __asm__("r0") = fid;
    register uint32_t r1 __asm__("r1") = a1;
    register uint32_t r2 __asm__("r2") = a2;
    register uint32_t r3 __asm__("r3") = a3;

    __asm__ volatile(".arch_extension virt\n\thvc #0"
                     : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3)
                     :
                     : "memory");
    return (long)r0;
}

/* Each 4 bytes long in A32 and in T32 (.w): the fault cases skip them. */
#ifdef __thumb__
#define WIDE ".w"
#else
#define WIDE ""
#endif
__attribute__((noinline)) uint32_t load_from(uint32_t addr)
{
    uint32_t v;
    __asm__ volatile("ldr" WIDE " %0, [%1]" : "=r"(v) : "r"(addr) : "memory");
    return v;
}

__attribute__((noinline)) void hvc_bad_imm(void)
{
    __asm__ volatile(".arch_extension virt\n\thvc #0x1234" ::: "memory");
}

__attribute__((noinline)) uint32_t mrc_impdef(void)
{
    uint32_t v = 0x5a5a5a5a;
    __asm__ volatile("mrc p15, 0, %0, c15, c0, 0" : "+r"(v));
    return v;
}

long console_io_write(const char *s, size_t len)
{
    return xen_hypercall(HYPERVISOR_console_io, CONSOLEIO_write, len, (uint32_t)s, 0, 0);
}

void uart_puts(const char *s)
{
    for (; *s; s++) {
        while (mmio_read32(VPL011 + 0x18) & (1u << 5))
            ;
        mmio_write32(VPL011, (uint8_t)*s);
    }
}

void console_write(const char *s, size_t len)
{
    if (!use_uart) {
        console_io_write(s, len);
        return;
    }
    char buf[257];
    size_t n = len < 256 ? len : 256;
    memcpy(buf, s, n);
    buf[n] = 0;
    uart_puts(buf);
}

void gprintf(const char *fmt, ...)
{
    char buf[256];
    va_list ap;

    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    if (n > 0)
        console_write(buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

void domain_poweroff(void)
{
    uint32_t reason = SHUTDOWN_poweroff;
    long rc = xen_hypercall(HYPERVISOR_sched_op, SCHEDOP_shutdown, (uint32_t)&reason, 0, 0, 0);

    gprintf("TEST %s FAIL poweroff returned %ld\n", test_name, rc);
    for (;;)
        __asm__ volatile("wfi");
}

uint64_t cntvct(void)
{
    uint32_t lo, hi;
    __asm__ volatile("isb\n\tmrrc p15, 1, %0, %1, c14" : "=r"(lo), "=r"(hi));
    return ((uint64_t)hi << 32) | lo;
}

uint32_t cntfrq(void)
{
    return MRC(0, 14, 0, 0);
}

void udelay(uint32_t us)
{
    uint64_t end = cntvct() + (uint64_t)cntfrq() * us / 1000000;
    while (cntvct() < end)
        ;
}

void guest32_boot(uint32_t r0, uint32_t r1, uint32_t r2, uint32_t cpsr)
{
    boot_state = (struct boot_state){r0, r1, r2, cpsr};
    static const char probe[1];
    /* A zero-length write prints nothing; a refusal means "use the UART". */
    use_uart = console_io_write(probe, 0) < 0;
    test_main();
    test_fail("test_main returned");
}

void guest32_secondary(uint32_t ctx, uint32_t cpsr)
{
    test_secondary(ctx, cpsr);
    smccc_hvc(PSCI_CPU_OFF, 0, 0, 0);
    test_fail("cpu %u: CPU_OFF returned", ctx);
}

__attribute__((weak)) void test_secondary(unsigned int cpu, uint32_t cpsr)
{
    (void)cpsr;
    test_fail("unexpected secondary cpu %u", cpu);
}

void guest32_trap(uint32_t kind, struct frame32 *f)
{
    if (trap_hook && trap_hook((enum trap_kind)kind, f))
        return;
    test_fail("unexpected exception %u at 0x%x (spsr 0x%x, DFSR 0x%x DFAR 0x%x)", kind, f->lr,
              f->spsr, MRC(0, 5, 0, 0), MRC(0, 6, 0, 0));
}

/* libgcc's division by zero (64-bit division in printf) signals; say so. */
int raise(int sig);
int raise(int sig)
{
    test_fail("raise(%d): division by zero", sig);
}
