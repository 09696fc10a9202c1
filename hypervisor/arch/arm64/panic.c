/*
 * Fatal errors in Cloison itself. panic() is for hypervisor bugs only: a
 * guest's misbehaviour ends in an injected fault or that domain's crash.
 * Every fatal path prints the trap registers and a frame-pointer backtrace,
 * then stops all other CPUs.
 */
#include <cloison/percpu.h>
#include <cloison/printk.h>
#include <asm/sysreg.h>
#include <lib/printf.h>

void hyp_fatal_entry(uint64_t kind, uint64_t fp, uint64_t lr, uint64_t sp);
extern char _head[], _etext[];

static volatile int panicking;

static void backtrace(uint64_t fp, uint64_t lr)
{
    printk("backtrace:");
    if (lr)
        printk("  [<%016lx>]", lr);
    for (int depth = 0; depth < 32 && fp; depth++) {
        if (fp & 0xf || fp < (uint64_t)_head)
            break;
        const uint64_t *frame = (const uint64_t *)fp;
        uint64_t ret = frame[1];
        if (ret < (uint64_t)_head || ret >= (uint64_t)_etext)
            break;
        printk("  [<%016lx>]", ret);
        fp = frame[0];
    }
}

static void stop_others(void)
{
    if (__atomic_fetch_add(&panicking, 1, __ATOMIC_SEQ_CST) != 0) {
        for (;;)
            wfe();
    }
    printk_panic();
}

__noreturn void panic(const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    local_irq_disable();
    stop_others();
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    printk("PANIC on pCPU%u: %s", this_cpu_id(), buf);
    backtrace((uint64_t)__builtin_frame_address(0), 0);
    printk("System halted.");
    for (;;)
        wfe();
}

void hyp_fatal_entry(uint64_t kind, uint64_t fp, uint64_t lr, uint64_t sp)
{
    static const char *const kinds[] = {"synchronous exception", "SError", "unexpected vector"};
    stop_others();
    printk("PANIC on pCPU%u: %s in Cloison", this_cpu_id(), kinds[kind < 3 ? kind : 2]);
    printk("  ESR_EL2=%016lx ELR_EL2=%016lx FAR_EL2=%016lx", read_sysreg(esr_el2),
           read_sysreg(elr_el2), read_sysreg(far_el2));
    printk("  SPSR_EL2=%016lx SP=%016lx HPFAR_EL2=%016lx", read_sysreg(spsr_el2), sp,
           read_sysreg(hpfar_el2));
    printk("  faulting PC [<%016lx>]", read_sysreg(elr_el2));
    backtrace(fp, lr);
    printk("System halted.");
    for (;;)
        wfe();
}
