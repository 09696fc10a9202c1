/* Exception dispatch for the vector table in entry.S. */
#include "guest.h"

#define VEC_CUR_SPX_SYNC 4
#define VEC_CUR_SPX_IRQ 5
#define MAX_INTID 64

void trap_dispatch(unsigned long idx, struct trap_frame *f);

static struct trap_record *volatile expected[GUEST_MAX_CPUS];
static irq_handler_t irq_handlers[MAX_INTID];

static unsigned this_cpu(void)
{
    return read_sysreg(mpidr_el1) & (GUEST_MAX_CPUS - 1);
}

void trap_expect(struct trap_record *rec)
{
    rec->taken = false;
    rec->resume = 0;
    expected[this_cpu()] = rec;
}

void trap_expect_cancel(void)
{
    expected[this_cpu()] = NULL;
}

void irq_register(unsigned intid, irq_handler_t h)
{
    if (intid < MAX_INTID)
        irq_handlers[intid] = h;
}

static void handle_sync(struct trap_frame *f)
{
    struct trap_record *rec = expected[this_cpu()];
    uint64_t esr = read_sysreg(esr_el1);
    uint64_t far = read_sysreg(far_el1);

    if (!rec)
        test_fail("unexpected exception esr=0x%llx elr=0x%llx far=0x%llx", (unsigned long long)esr,
                  (unsigned long long)f->elr, (unsigned long long)far);
    expected[this_cpu()] = NULL;
    rec->esr = esr;
    rec->far = far;
    rec->elr = f->elr;
    rec->taken = true;
    /* Skip the instruction that faulted (all our probes are A64, 4 bytes),
     * unless the test knows better: an UNDEF injected for an HVC points past it. */
    f->elr = rec->resume ? rec->resume : f->elr + 4;
}

static void handle_irq(void)
{
    unsigned intid = gic_ack();

    if (intid >= 1020) /* spurious */
        return;
    if (intid < MAX_INTID && irq_handlers[intid])
        irq_handlers[intid](intid);
    else
        test_fail("unexpected interrupt %u", intid);
    gic_eoi(intid);
}

void trap_dispatch(unsigned long idx, struct trap_frame *f)
{
    if (idx == VEC_CUR_SPX_SYNC)
        handle_sync(f);
    else if (idx == VEC_CUR_SPX_IRQ)
        handle_irq();
    else
        test_fail("exception at vector %lu esr=0x%llx elr=0x%llx", idx,
                  (unsigned long long)read_sysreg(esr_el1), (unsigned long long)f->elr);
}
