/*
 * The hypervisor's log ring (console/conring.h): a copy of what printk says,
 * kept in 16 KiB for xl dmesg, as Xen keeps its console ring. Written under
 * console_lock by printk (so lines never interleave) and under its own lock,
 * the innermost of all (cloison/spinlock.h), which readers take only to look
 * at the positions or copy out a few bytes.
 */
#include <cloison/spinlock.h>
#include <console/conring.h>

static spinlock_t conring_lock = SPINLOCK_INIT;
static char ring[CONRING_SIZE];
static uint32_t prod; /* the next byte written */
static uint32_t cons; /* the oldest byte kept */

void conring_put(const char *s, size_t len)
{
    uint64_t f = spin_lock_irqsave(&conring_lock);
    for (size_t i = 0; i < len; i++)
        ring[prod++ % CONRING_SIZE] = s[i];
    if (prod - cons > CONRING_SIZE)
        cons = prod - CONRING_SIZE;
    spin_unlock_irqrestore(&conring_lock, f);
}

void conring_span(bool incremental, uint32_t index, uint32_t *c, uint32_t *p)
{
    uint64_t f = spin_lock_irqsave(&conring_lock);
    *c = cons;
    *p = prod;
    spin_unlock_irqrestore(&conring_lock, f);
    /* Xen's test: index strictly after the oldest byte, at most the end,
     * with both ends free-running (the kept bytes may straddle 2^32). */
    bool inside = *c <= *p ? *c < index && index <= *p : *c < index || index <= *p;
    if (incremental && inside)
        *c = index;
}

void conring_copy(uint32_t c, char *buf, uint32_t n)
{
    uint64_t f = spin_lock_irqsave(&conring_lock);
    for (uint32_t i = 0; i < n && i < CONRING_SIZE; i++)
        buf[i] = ring[(c + i) % CONRING_SIZE];
    spin_unlock_irqrestore(&conring_lock, f);
}

void conring_clear(uint32_t c, uint32_t p)
{
    uint64_t f = spin_lock_irqsave(&conring_lock);
    uint32_t keep = p - c > CONRING_SIZE ? p - CONRING_SIZE : c;
    /* Never back past what was overwritten since the span was taken. */
    if (prod - keep <= CONRING_SIZE)
        cons = keep;
    spin_unlock_irqrestore(&conring_lock, f);
}
