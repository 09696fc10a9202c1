/*
 * Xen guests' wallclock (see xen/wallclock.h). The base is the time of
 * day at host counter 0, kept as seconds + ns; wc_lock keeps a domain's
 * wc_version/wc_* update whole against a concurrent settime64.
 */
#include <cloison/assert.h>
#include <cloison/arch.h>
#include <core/domain.h>
#include <cloison/spinlock.h>
#include <xen/wallclock.h>
#include <xen/xen_domain.h>
#include <public/xen.h>

#define NS_PER_SEC 1000000000ULL

static spinlock_t wc_lock = SPINLOCK_INIT;
static uint64_t base_sec; /* under wc_lock */
static uint32_t base_nsec;

static uint64_t ticks_to_ns(uint64_t t)
{
    uint64_t f = arch_counter_freq();
    return (t / f) * NS_PER_SEC + (t % f) * NS_PER_SEC / f;
}

uint64_t wallclock_domain_offset_sec(const struct domain *d)
{
    /* Before the domain is started its counter base is not set yet: now is
     * within the same second or so (Xen takes it at vtimer init). */
    return ticks_to_ns(d->cntvoff ? d->cntvoff : arch_counter()) / NS_PER_SEC;
}

/* Readers retry while wc_version is odd or changed: bump, write, bump. */
static void write_locked(struct shared_info *s, uint64_t sec, uint32_t nsec)
{
    ASSERT_HELD(&wc_lock);
    __atomic_fetch_add(&s->wc_version, 1, __ATOMIC_SEQ_CST);
    s->wc_sec = (uint32_t)sec;
    s->wc_sec_hi = (uint32_t)(sec >> 32);
    s->wc_nsec = nsec;
    __atomic_fetch_add(&s->wc_version, 1, __ATOMIC_SEQ_CST);
}

void wallclock_update_domain(struct domain *d)
{
    if (!d->xen)
        return;
    uint64_t off = wallclock_domain_offset_sec(d);
    uint64_t f = spin_lock_irqsave(&wc_lock);
    write_locked(d->xen->shinfo, base_sec + off, base_nsec);
    spin_unlock_irqrestore(&wc_lock, f);
}

void wallclock_settime(const struct domain *caller, uint64_t secs, uint32_t nsecs,
                       uint64_t system_time)
{
    /* As Xen: the caller's system time becomes host time by adding the whole
     * seconds of its offset; the base is what remains. Arithmetic wraps like
     * Xen's unsigned 64-bit sums, so a nonsensical input cannot trap. */
    uint64_t host_ns = system_time + wallclock_domain_offset_sec(caller) * NS_PER_SEC;
    uint64_t x = secs * NS_PER_SEC + nsecs - host_ns;
    uint64_t f = spin_lock_irqsave(&wc_lock);
    base_sec = x / NS_PER_SEC;
    base_nsec = (uint32_t)(x % NS_PER_SEC);
    spin_unlock_irqrestore(&wc_lock, f);
    domain_for_each(wallclock_update_domain);
}
