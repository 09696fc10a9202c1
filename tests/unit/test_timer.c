/*
 * core/timer.c: each pCPU's queue in deadline order (equal deadlines in the
 * order they were set), the EL2 timer programmed for the head when the queue
 * is the local one, cancel and re-arm, kill, and callbacks that run with no
 * lock held and IRQs masked, which may re-arm themselves and cancel, set or
 * kill timers. Over a fake counter and fake EL2 timers (fakes/timer_fake.h); the
 * interrupt reaches the queue through arch's handler table (arch/arm64/irq.c).
 */
#include "harness.h"
#include <cloison/irq.h>
#include <core/timer.h>
#include "fakes/lock_fake.h"
#include "fakes/timer_fake.h"

#define NT 8
static struct timer t[NT];
static char order[64]; /* which timers ran, as letters 'a' + index */
static size_t nrun;

/* What the running callback should do (index of the timer it is on). */
static int rearm_at[NT]; /* > 0: re-arm itself at this deadline */
static int rearms_left[NT];
static int cancel_other[NT]; /* >= 0: cancel that timer */
static bool bad_context;     /* a callback ran with a lock held or IRQs open */

static void fire(struct timer *tm)
{
    int i = (int)(tm - t);
    order[nrun++] = (char)('a' + i);
    if (fake_locks_held || !fake_irqs_masked || tm->armed)
        bad_context = true;
    timer_cancel(tm); /* cancelling oneself from the callback: a no-op, no deadlock */
    if (cancel_other[i] >= 0)
        timer_cancel(&t[cancel_other[i]]);
    if (rearm_at[i] && rearms_left[i]-- > 0)
        timer_set(tm, fake_cpu, (uint64_t)rearm_at[i]);
}

static void reset(void)
{
    timer_irq_init(); /* again: the same handler, no conflict */
    /* Whatever a previous test left queued is taken off first. */
    for (int i = 0; i < NT; i++)
        timer_cancel(&t[i]);
    fake_timer_reset();
    for (int i = 0; i < NT; i++) {
        timer_init(&t[i], fire, NULL);
        rearm_at[i] = 0;
        rearms_left[i] = 0;
        cancel_other[i] = -1;
    }
    memset(order, 0, sizeof(order));
    nrun = 0;
    bad_context = false;
}

/* CNTHP fires on this pCPU at `now`: the interrupt controller dispatches
 * its PPI, with IRQs masked. */
static void interrupt_at(uint64_t now)
{
    fake_counter = now;
    fake_irqs_masked = true;
    CHECK(irq_dispatch(IRQ_PPI_HYPTIMER));
    fake_irqs_masked = false;
}

TEST(frequency_and_ticks)
{
    reset();
    CHECK_EQ(timer_freq(), FAKE_TIMER_FREQ);
    CHECK_EQ(ms_to_ticks(10), FAKE_TIMER_FREQ / 100);
    CHECK_EQ(ms_to_ticks(0), 0);
}

TEST(deadline_order_equal_deadlines_in_set_order)
{
    reset();
    timer_set(&t[3], 0, 300);
    CHECK_EQ(fake_hyptimer[0], 300);
    timer_set(&t[0], 0, 100);
    CHECK_EQ(fake_hyptimer[0], 100);
    timer_set(&t[1], 0, 200);
    timer_set(&t[2], 0, 200);
    CHECK_EQ(fake_hyptimer[0], 100); /* still the head */
    CHECK(t[0].armed && t[3].armed);
    interrupt_at(250);
    CHECK_STR_EQ(order, "abc");
    CHECK(!t[0].armed && !t[1].armed && !t[2].armed && t[3].armed);
    CHECK_EQ(fake_hyptimer[0], 300);
    interrupt_at(299); /* early (a spurious interrupt): nothing runs */
    CHECK_STR_EQ(order, "abc");
    interrupt_at(300); /* a deadline equal to now is due */
    CHECK_STR_EQ(order, "abcd");
    CHECK_EQ(fake_hyptimer[0], FAKE_HYPTIMER_OFF); /* nothing left: stopped */
    CHECK(!bad_context);
    CHECK_EQ(fake_locks_held, 0);
}

/* Cancel leaves the hardware as it was: the early interrupt that follows
 * finds nothing due and programs the new head. */
TEST(cancel)
{
    reset();
    timer_cancel(&t[0]); /* never armed: nothing */
    timer_set(&t[0], 0, 100);
    timer_set(&t[1], 0, 200);
    unsigned int writes = fake_hyptimer_writes[0];
    timer_cancel(&t[0]);
    CHECK(!t[0].armed);
    CHECK_EQ(fake_hyptimer_writes[0], writes);
    timer_cancel(&t[0]); /* twice */
    interrupt_at(100);
    CHECK_STR_EQ(order, "");
    CHECK_EQ(fake_hyptimer[0], 200);
    timer_cancel(&t[1]);
    interrupt_at(1000);
    CHECK_STR_EQ(order, "");
    CHECK_EQ(fake_hyptimer[0], FAKE_HYPTIMER_OFF);
    CHECK_EQ(fake_locks_held, 0);
}

/* Setting an armed timer moves it: it is queued once, at the new deadline. */
TEST(rearm_moves_the_timer)
{
    reset();
    timer_set(&t[0], 0, 100);
    timer_set(&t[1], 0, 150);
    timer_set(&t[0], 0, 200);
    CHECK_EQ(fake_hyptimer[0], 150);
    timer_set(&t[0], 0, 50);
    CHECK_EQ(fake_hyptimer[0], 50);
    interrupt_at(1000);
    CHECK_STR_EQ(order, "ab");
    interrupt_at(2000);
    CHECK_STR_EQ(order, "ab");
}

/* A periodic timer re-arms itself from its callback: a future deadline runs
 * on a later interrupt, one already past runs again in the same pass. */
TEST(callbacks_rearm_themselves)
{
    reset();
    rearm_at[0] = 300;
    rearms_left[0] = 1;
    timer_set(&t[0], 0, 100);
    interrupt_at(100);
    CHECK_STR_EQ(order, "a");
    CHECK(t[0].armed);
    CHECK_EQ(t[0].deadline, 300);
    CHECK_EQ(fake_hyptimer[0], 300);
    interrupt_at(300);
    CHECK_STR_EQ(order, "aa");
    CHECK(!t[0].armed);

    reset();
    rearm_at[1] = 50; /* already past at 100 */
    rearms_left[1] = 2;
    timer_set(&t[1], 0, 100);
    interrupt_at(100);
    CHECK_STR_EQ(order, "bbb");
    CHECK(!t[1].armed);
    CHECK(!bad_context);
}

/* A callback that cancels a timer due in the same pass: it does not run. */
TEST(a_callback_cancels_another_due_timer)
{
    reset();
    cancel_other[0] = 1;
    timer_set(&t[0], 0, 100);
    timer_set(&t[1], 0, 100);
    timer_set(&t[2], 0, 100);
    interrupt_at(100);
    CHECK_STR_EQ(order, "ac");
    CHECK(!t[1].armed);
    CHECK_EQ(fake_hyptimer[0], FAKE_HYPTIMER_OFF);
    CHECK(!bad_context);
}

/* Queues are per pCPU: a remote set programs nothing here, the owner
 * programs it on its next pass (timer_sync_local), and only the owner's
 * interrupt runs it. Setting it again from here moves it here. */
TEST(queues_are_per_pcpu)
{
    reset();
    timer_set(&t[0], 1, 100);
    CHECK_EQ(fake_hyptimer[0], FAKE_HYPTIMER_OFF);
    CHECK_EQ(fake_hyptimer[1], FAKE_HYPTIMER_OFF);
    CHECK_EQ(t[0].cpu, 1);
    interrupt_at(100);
    CHECK_STR_EQ(order, "");
    fake_set_cpu(1);
    timer_sync_local();
    CHECK_EQ(fake_hyptimer[1], 100);
    fake_set_cpu(0);
    timer_set(&t[0], 0, 150); /* taken off pCPU 1's queue */
    CHECK_EQ(t[0].cpu, 0);
    CHECK_EQ(fake_hyptimer[0], 150);
    fake_set_cpu(1);
    interrupt_at(200);
    CHECK_STR_EQ(order, "");
    CHECK_EQ(fake_hyptimer[1], FAKE_HYPTIMER_OFF);
    fake_set_cpu(0);
    interrupt_at(200);
    CHECK_STR_EQ(order, "a");
}

/* A callback may set a timer on another pCPU (a vCPU's wake-up elsewhere). */
TEST(a_callback_sets_a_remote_timer)
{
    reset();
    timer_set(&t[0], 0, 100);
    interrupt_at(100);
    CHECK_STR_EQ(order, "a");
    timer_set(&t[1], 1, 100); /* as if from a callback: IRQs masked, no lock */
    fake_set_cpu(1);
    timer_sync_local();
    interrupt_at(100);
    CHECK_STR_EQ(order, "ab");
    CHECK_EQ(fake_locks_held, 0);
}

/* Every switch-in cancels the vCPU's vtimer_wake, almost always unarmed:
 * that cancel takes no lock (a lock of pCPU 0's queue, where a timer never
 * set belongs, taken by every pCPU on every switch, slowed a guest's timer
 * ticks by up to a second under load). */
static unsigned int locks_taken;
static void count_lock(spinlock_t *l)
{
    (void)l;
    locks_taken++;
}

TEST(cancelling_an_unarmed_timer_takes_no_lock)
{
    reset();
    timer_set(&t[1], 0, 100);
    interrupt_at(100); /* t[1] fired: unarmed again */
    locks_taken = 0;
    fake_lock_hook = count_lock;
    timer_cancel(&t[0]); /* never set */
    timer_cancel(&t[1]);
    fake_lock_hook = NULL;
    CHECK_EQ(locks_taken, 0);
    timer_set(&t[2], 1, 100);
    fake_lock_hook = count_lock;
    timer_cancel(&t[2]); /* armed: its queue's lock */
    fake_lock_hook = NULL;
    CHECK_EQ(locks_taken, 1);
    CHECK(!t[2].armed);
}

/* A killed timer is taken off its queue and no later timer_set() arms it,
 * on any pCPU (the trap that re-arms a dead vCPU's timer). What a cancel
 * from another pCPU does while the callback runs needs two threads:
 * test_timer_threads. */
TEST(a_killed_timer_is_never_armed_again)
{
    reset();
    timer_set(&t[0], 1, 100);
    timer_set(&t[1], 1, 150);
    timer_kill(&t[0]);
    CHECK(!t[0].armed);
    CHECK(!timer_set(&t[0], 1, 200));
    CHECK(!timer_set(&t[0], 0, 200));
    CHECK(!t[0].armed);
    timer_kill(&t[0]); /* twice: nothing more */
    interrupt_at(1000);
    fake_set_cpu(1);
    interrupt_at(1000);
    fake_set_cpu(0);
    CHECK_STR_EQ(order, "b");
    CHECK_EQ(fake_locks_held, 0);
}

/* A callback whose work kills its own timer (a vCPU's timer injecting into a
 * domain that shuts down) and then tries to re-arm it: nothing is armed. */
static void kill_then_rearm(struct timer *tm)
{
    order[nrun++] = 'k';
    timer_kill(tm);
    CHECK(!timer_set(tm, fake_cpu, 500));
}

TEST(a_callback_kills_its_own_timer)
{
    reset();
    timer_init(&t[0], kill_then_rearm, NULL);
    timer_set(&t[0], 0, 100);
    interrupt_at(100);
    CHECK_STR_EQ(order, "k");
    CHECK(!t[0].armed);
    interrupt_at(1000);
    CHECK_STR_EQ(order, "k");
    CHECK_EQ(fake_hyptimer[0], FAKE_HYPTIMER_OFF);
    CHECK_EQ(fake_locks_held, 0);
}
