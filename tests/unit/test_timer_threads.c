/*
 * core/timer.c with host threads playing two pCPUs at once (real locks,
 * fakes/lock_threads.c; a pCPU per thread, fakes/timer_fake.h): killing a
 * timer, and timer_cancel() waiting for a callback that another pCPU is
 * running (issue 9, finding 1: a vCPU freed while its timer's callback ran
 * on its pCPU with the queue lock dropped). test_timer covers the queues
 * themselves, single-threaded.
 */
#include <pthread.h>
#include <sched.h>
#include <time.h>

#include "harness.h"
#include <cloison/arch.h>
#include <cloison/irq.h>
#include <core/timer.h>
#include "fakes/timer_fake.h"

static void setup(void)
{
    static bool done;
    if (!done) {
        timer_irq_init();
        done = true;
    }
    fake_set_cpu(0);
}

static void sleep_ms(unsigned int ms)
{
    struct timespec ts = {0, (long)ms * 1000000L};
    nanosleep(&ts, NULL);
}

/* CNTHP fires on pCPU cpu: this thread plays it from now on. */
static void timer_irq(unsigned int cpu)
{
    fake_set_cpu(cpu);
    irq_dispatch(IRQ_PPI_HYPTIMER);
}

static void never(struct timer *t)
{
    (void)t;
}

/* ---- a callback running on pCPU 0 while pCPU 1 cancels ---- */

struct slow {
    struct timer t;
    int entered, release, finished;
    int rearm; /* the callback sets its own timer again before returning */
};

static void slow_fn(struct timer *t)
{
    struct slow *s = t->data;
    __atomic_store_n(&s->entered, 1, __ATOMIC_SEQ_CST);
    for (int i = 0; i < 2000 && !__atomic_load_n(&s->release, __ATOMIC_SEQ_CST); i++)
        sleep_ms(1);
    if (s->rearm) {
        s->rearm = 0;
        timer_set(t, 0, arch_counter() + 1000); /* stays queued */
    }
    __atomic_store_n(&s->finished, 1, __ATOMIC_SEQ_CST);
}

static void *fire_cpu0(void *arg)
{
    (void)arg;
    fake_set_cpu(0);
    timer_irq(0);
    return NULL;
}

struct canceller {
    struct slow *s;
    int returned, finished_at_return, armed_at_return;
};

static void *cancel_on_cpu1(void *arg)
{
    struct canceller *c = arg;
    fake_set_cpu(1);
    timer_cancel(&c->s->t);
    c->finished_at_return = __atomic_load_n(&c->s->finished, __ATOMIC_SEQ_CST);
    c->armed_at_return = c->s->t.armed;
    __atomic_store_n(&c->returned, 1, __ATOMIC_SEQ_CST);
    return NULL;
}

static void cancel_while_running(struct slow *s, struct canceller *c)
{
    pthread_t fire, cancel;
    timer_init(&s->t, slow_fn, s);
    fake_counter = 4000;
    timer_set(&s->t, 0, 4000);
    pthread_create(&fire, NULL, fire_cpu0, NULL);
    while (!__atomic_load_n(&s->entered, __ATOMIC_SEQ_CST))
        sleep_ms(1);
    c->s = s;
    pthread_create(&cancel, NULL, cancel_on_cpu1, c);
    sleep_ms(100);
    CHECK(!__atomic_load_n(&c->returned, __ATOMIC_SEQ_CST)); /* still waiting */
    __atomic_store_n(&s->release, 1, __ATOMIC_SEQ_CST);
    pthread_join(fire, NULL);
    pthread_join(cancel, NULL);
    fake_set_cpu(0);
}

TEST(cancel_waits_for_a_callback_running_on_another_pcpu)
{
    setup();
    struct slow s = {0};
    struct canceller c = {0};
    cancel_while_running(&s, &c);
    CHECK(c.returned);
    CHECK(c.finished_at_return); /* returned only once the callback was done */
    CHECK(!c.armed_at_return);
}

TEST(cancel_undoes_what_a_running_callback_rearms)
{
    setup();
    struct slow s = {.rearm = 1};
    struct canceller c = {0};
    cancel_while_running(&s, &c);
    CHECK(c.finished_at_return);
    CHECK(!c.armed_at_return); /* the re-arm made during the wait was undone */
    CHECK(!s.t.armed);
}

/* ---- callbacks on two pCPUs cancelling each other must not deadlock ---- */

static struct timer x, y;
static int x_in, y_in, x_done, y_done;

static void x_fn(struct timer *t)
{
    (void)t;
    __atomic_store_n(&x_in, 1, __ATOMIC_SEQ_CST);
    while (!__atomic_load_n(&y_in, __ATOMIC_SEQ_CST))
        sleep_ms(1);
    timer_cancel(&y); /* y's callback runs on pCPU 1 and cancels x */
    timer_set(&x, 0, arch_counter() + 1000000);
    __atomic_store_n(&x_done, 1, __ATOMIC_SEQ_CST);
}

static void y_fn(struct timer *t)
{
    (void)t;
    __atomic_store_n(&y_in, 1, __ATOMIC_SEQ_CST);
    while (!__atomic_load_n(&x_in, __ATOMIC_SEQ_CST))
        sleep_ms(1);
    timer_cancel(&x);
    __atomic_store_n(&y_done, 1, __ATOMIC_SEQ_CST);
}

static void *fire_cpu1(void *arg)
{
    (void)arg;
    fake_set_cpu(1);
    timer_irq(1);
    return NULL;
}

TEST(callbacks_cancelling_each_other_do_not_wait)
{
    setup();
    pthread_t a, b;
    timer_init(&x, x_fn, NULL);
    timer_init(&y, y_fn, NULL);
    fake_counter = 5000;
    timer_set(&x, 0, 5000);
    timer_set(&y, 1, 5000);
    pthread_create(&a, NULL, fire_cpu0, NULL);
    pthread_create(&b, NULL, fire_cpu1, NULL);
    for (int i = 0; i < 3000 && !(__atomic_load_n(&x_done, __ATOMIC_SEQ_CST) &&
                                  __atomic_load_n(&y_done, __ATOMIC_SEQ_CST));
         i++)
        sleep_ms(1);
    REQUIRE(x_done && y_done); /* else both wait for ever: give up the threads */
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    timer_cancel(&x);
}

/* ---- a kill racing arms from another pCPU ---- */

struct race {
    struct timer t;
    int stop;
};

static void *arm_loop(void *arg)
{
    struct race *r = arg;
    fake_set_cpu(1);
    while (!__atomic_load_n(&r->stop, __ATOMIC_SEQ_CST))
        timer_set(&r->t, 1, arch_counter() + 1000000);
    return NULL;
}

TEST(no_arm_racing_a_kill_survives_it)
{
    setup();
    for (int round = 0; round < 200; round++) {
        struct race r = {0};
        pthread_t armer;
        timer_init(&r.t, never, NULL);
        pthread_create(&armer, NULL, arm_loop, &r);
        sched_yield();
        timer_kill(&r.t); /* pCPU 0, while pCPU 1 keeps arming */
        timer_cancel(&r.t);
        bool armed_after_kill = r.t.armed;
        __atomic_store_n(&r.stop, 1, __ATOMIC_SEQ_CST);
        pthread_join(armer, NULL);
        CHECK(!armed_after_kill);
        CHECK(!r.t.armed);
        if (r.t.armed) {
            timer_cancel(&r.t); /* keep the queue sane for the next tests */
            break;
        }
    }
}
