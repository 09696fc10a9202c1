/* The CPU under core/sched.c: see fakes/sched_fake.h. */
#include <setjmp.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cloison/arch.h>
#include <cloison/context.h>
#include <cloison/host_psci.h>
#include <core/domain.h>
#include <core/sched.h>
#include <core/vcpu.h>
#include <drivers/irqchip.h>
#include "lock_fake.h"
#include "sched_fake.h"
#include "timer_fake.h"

struct vcpu *fake_loaded[MAX_PCPUS];
unsigned int fake_context_errors;
unsigned int fake_sgis[MAX_PCPUS];
unsigned int fake_power_offs;
unsigned int fake_tlb_flushes[MAX_PCPUS];
int fake_exit_locks_held;
struct vcpu *fake_entered;

/* Where the innermost fake_run_on() waits for an exit. */
static jmp_buf *exit_to;

static _Noreturn void leave(enum fake_exit how)
{
    if (!exit_to)
        abort(); /* an exit outside fake_run_on(): the test is wrong */
    fake_exit_locks_held = fake_locks_held;
    longjmp(*exit_to, how);
}

static struct vcpu *vcpu_of(const struct vcpu_arch *a)
{
    return (struct vcpu *)((uintptr_t)a - offsetof(struct vcpu, arch));
}

void context_save(struct vcpu_arch *a)
{
    if (fake_loaded[fake_cpu] != vcpu_of(a))
        fake_context_errors++;
    fake_loaded[fake_cpu] = NULL;
}

void context_load(struct vcpu_arch *a, struct p2m *p2m, uint64_t cntvoff)
{
    (void)cntvoff;
    struct vcpu *v = vcpu_of(a);
    /* Loading a vCPU over its own live state drops that state (a vCPU
     * started again by CPU_ON before its pCPU left it): not an error. */
    if ((fake_loaded[fake_cpu] && fake_loaded[fake_cpu] != v) || p2m != &v->domain->p2m)
        fake_context_errors++;
    fake_loaded[fake_cpu] = v;
}

/* The last step before an entry: of the vCPU loaded. */
void context_entry(struct vcpu_arch *a)
{
    if (fake_loaded[fake_cpu] != vcpu_of(a))
        fake_context_errors++;
}

/* Only after a load, of the vCPU just loaded. */
void context_tlb_flush_local(void)
{
    if (!fake_loaded[fake_cpu])
        fake_context_errors++;
    fake_tlb_flushes[fake_cpu]++;
}

/* As arch/arm64/context.c: an enabled, unmasked timer fires at CVAL in
 * virtual time, which is CNTPCT - CNTVOFF. */
uint64_t context_vtimer_deadline(const struct vcpu_arch *a, uint64_t cntvoff)
{
    uint64_t ctl = a->sys.cntv_ctl;
    if (!(ctl & FAKE_CNTV_ENABLE) || (ctl & FAKE_CNTV_IMASK))
        return 0;
    return a->sys.cntv_cval + cntvoff;
}

void context_vtimer_mask_saved(struct vcpu_arch *a)
{
    a->sys.cntv_ctl |= FAKE_CNTV_IMASK;
}

void irqchip_send_sgi(unsigned int cpu, unsigned int sgi)
{
    (void)sgi;
    fake_sgis[cpu]++;
}

/* Declared by core/sched.c, its only caller (arch/arm64/guest_entry.S). */
void return_to_guest(struct guest_regs *regs) __noreturn;
void return_to_guest(struct guest_regs *regs)
{
    struct vcpu *v = vcpu_of((struct vcpu_arch *)regs);
    if (fake_loaded[fake_cpu] != v)
        fake_context_errors++;
    fake_entered = v;
    leave(FAKE_ENTERED_GUEST);
}

void arch_idle_wait(void)
{
    fake_entered = NULL;
    leave(FAKE_IDLED);
}

void host_system_off(void)
{
    fake_power_offs++;
    leave(FAKE_POWERED_OFF);
}

enum fake_exit fake_run_on(unsigned int cpu, void (*fn)(void))
{
    unsigned int was = fake_cpu;
    jmp_buf here, *outer = exit_to;
    exit_to = &here;
    fake_set_cpu(cpu);
    int how = setjmp(here);
    if (how == 0) {
        fn();
        how = FAKE_RETURNED;
    }
    exit_to = outer;
    fake_set_cpu(was);
    return (enum fake_exit)how;
}

static void run_scheduler(void)
{
    sched_return_to_guest();
}

struct vcpu *fake_sched_pass(unsigned int cpu)
{
    bool masked = fake_irqs_masked;
    fake_irqs_masked = true; /* as the trap entry leaves them */
    fake_entered = NULL;
    enum fake_exit how = fake_run_on(cpu, run_scheduler);
    fake_irqs_masked = masked;
    return how == FAKE_ENTERED_GUEST ? fake_entered : NULL;
}

void fake_sched_reset(unsigned int nr)
{
    nr_pcpus = nr;
    for (unsigned int c = 0; c < MAX_PCPUS; c++) {
        struct pcpu *p = &pcpus[c];
        p->id = c;
        p->online = c < nr;
        p->current = NULL;
        p->pool = NULL;
        p->leaving = false;
        p->need_resched = false;
        /* In no pool, nothing runs: the pass cancels the slice timer. */
        fake_sched_pass(c);
        fake_loaded[c] = NULL;
        fake_sgis[c] = 0;
        fake_tlb_flushes[c] = 0;
    }
    /* pCPU 0 sets up pool 0 afresh; the online ones join it. */
    for (unsigned int c = 0; c < nr; c++) {
        struct pcpu *p = &pcpus[c];
        sched_init_cpu(c);
        p->need_resched = false;
        p->idle_ticks = 0;
        fake_sgis[c] = 0;
    }
    fake_context_errors = 0;
    fake_power_offs = 0;
    fake_entered = NULL;
}
