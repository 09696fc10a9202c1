/*
 * Software timers, one sorted queue per pCPU, driven by the EL2 physical
 * timer (CNTHP, PPI 26). Deadlines are CNTPCT values. A timer fires on the
 * pCPU it was set on, in IRQ context (IRQs masked), and must be short.
 */
#ifndef CLOISON_TIMER_H
#define CLOISON_TIMER_H

#include <cloison/types.h>

struct timer {
    uint64_t deadline;
    void (*fn)(struct timer *t);
    void *data;
    struct timer *next;
    unsigned int cpu;
    bool armed;
};

void timer_init(struct timer *t, void (*fn)(struct timer *t), void *data);
void timer_set(struct timer *t, unsigned int cpu, uint64_t deadline);
void timer_cancel(struct timer *t);
/* Boot CPU, once, before interrupts are taken: the hypervisor timer's PPI. */
void timer_irq_init(void);
uint64_t timer_freq(void); /* CNTFRQ */
uint64_t ms_to_ticks(uint64_t ms);
/* Reprogram this pCPU's hardware timer for its queue (after remote inserts). */
void timer_sync_local(void);

#endif
