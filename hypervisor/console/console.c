/*
 * Guest console output (see console/console.h): line assembly, per-domain
 * log, rate limit, and partial lines shown after a short delay.
 *
 * Locks: flush_lock, each console_log.lock (order: cloison/spinlock.h).
 * A line the transmit ring refuses (the UART's share of this domain is
 * queued already) is dropped and counted like one over the rate limit.
 * The write path drops the log lock before it takes flush_lock.
 */
#include <cloison/assert.h>
#include <cloison/arch.h>
#include <cloison/errno.h>
#include <console/console.h>
#include <core/domain.h>
#include <cloison/mm.h>
#include <cloison/percpu.h>
#include <cloison/printk.h>
#include <core/timer.h>
#include <drivers/uart.h>
#include <lib/printf.h>
#include <string.h>

/* Domains with a partial line waiting, and one timer that shows them all.
 * One global timer, never freed, so a domain being destroyed cannot leave a
 * timer callback running on freed memory. */
static spinlock_t flush_lock = SPINLOCK_INIT;
static struct domain *flush_head;
static struct timer flush_timer;

int console_log_init(struct domain *d)
{
    struct console_log *c = xzalloc(sizeof(*c));
    if (!c)
        return -ENOMEM;
    c->ring = xmalloc(CONSOLE_LOG_SIZE);
    if (!c->ring) {
        xfree(c);
        return -ENOMEM;
    }
    c->tokens = CONSOLE_BURST_BYTES;
    c->last_refill = arch_counter();
    /* dom0's console is the machine's, shown untagged as Xen does. */
    if (!d->is_privileged)
        c->prefix_len = (uint8_t)snprintf(c->prefix, sizeof(c->prefix), "(d%u) ", d->id);
    d->con = c;
    return 0;
}

void console_log_free(struct domain *d)
{
    struct console_log *c = d->con;
    if (!c)
        return;
    uint64_t f = spin_lock_irqsave(&flush_lock);
    for (struct domain **pp = &flush_head; *pp; pp = &(*pp)->con->flush_next) {
        if (*pp == d) {
            *pp = c->flush_next;
            break;
        }
    }
    spin_unlock_irqrestore(&flush_lock, f);
    d->con = NULL;
    xfree(c->ring);
    xfree(c);
}

/* Part of d's current line to the UART; `end` completes it. Owners are
 * domid + 1 because owner 0 means "no line open". */
static bool emit(struct domain *d, const char *s, size_t len, bool end)
{
    struct console_log *c = d->con;
    return console_puts_line_part(d->id + 1u, c->prefix, c->prefix_len, s, len, end);
}

/* Refill the token bucket; lock held. Whole seconds and the rest apart, so
 * that a long silence (2^48 ticks: 3.3 days at 1 GHz) cannot overflow the
 * product and leave the bucket empty. */
static void refill(struct console_log *c)
{
    ASSERT_HELD(&c->lock);
    uint64_t now = arch_counter(), freq = timer_freq() ? timer_freq() : 1,
             rate = uart_bytes_per_sec();
    uint64_t elapsed = now - c->last_refill, secs = elapsed / freq;
    uint64_t add = secs >= CONSOLE_BURST_BYTES ? CONSOLE_BURST_BYTES
                                               : secs * rate + elapsed % freq * rate / freq;
    if (add) {
        c->tokens = MIN(c->tokens + add, (uint64_t)CONSOLE_BURST_BYTES);
        c->last_refill = now;
    }
}

/* The line is complete: show what is not shown yet, with its newline. */
static void end_line_locked(struct domain *d, struct console_log *c)
{
    ASSERT_HELD(&c->lock);
    refill(c);
    size_t rest = c->line_len - c->line_shown;
    bool shown = false;
    if (c->tokens >= rest + 1) {
        if (c->dropped && !c->line_shown) {
            char note[64];
            int n = snprintf(note, sizeof(note), "[%lu bytes dropped: rate limit]", c->dropped);
            if (emit(d, note, (size_t)n, true))
                c->dropped = 0;
        }
        shown = emit(d, c->line + c->line_shown, rest, true);
    }
    if (shown)
        c->tokens -= rest + 1;
    else
        c->dropped += rest + 1; /* over its rate, or its share of the UART */
    c->line_len = c->line_shown = 0;
}

/* Show the unshown part of an incomplete line, leaving it open. */
static void show_partial_locked(struct domain *d, struct console_log *c)
{
    ASSERT_HELD(&c->lock);
    size_t n = c->line_len - c->line_shown;
    if (!n)
        return;
    refill(c);
    if (c->tokens < n || !emit(d, c->line + c->line_shown, n, false))
        return; /* stays for the line's end (or the next flush) */
    c->tokens -= n;
    c->line_shown = c->line_len;
}

static void flush_fire(struct timer *t)
{
    (void)t;
    spin_lock(&flush_lock);
    while (flush_head) {
        struct domain *d = flush_head;
        flush_head = d->con->flush_next;
        /* Cleared before the line is read: a writer that still sees it set
         * appended before this flush, which then shows its bytes. */
        __atomic_store_n(&d->con->flush_queued, false, __ATOMIC_SEQ_CST);
        spin_lock(&d->con->lock);
        show_partial_locked(d, d->con);
        spin_unlock(&d->con->lock);
    }
    spin_unlock(&flush_lock);
}

/* Show d's partial line after CONSOLE_PARTIAL_MS unless it completes first. */
static void queue_partial(struct domain *d)
{
    if (__atomic_load_n(&d->con->flush_queued, __ATOMIC_SEQ_CST))
        return;
    uint64_t f = spin_lock_irqsave(&flush_lock);
    if (!d->con->flush_queued) {
        __atomic_store_n(&d->con->flush_queued, true, __ATOMIC_SEQ_CST);
        d->con->flush_next = flush_head;
        flush_head = d;
        if (!flush_timer.fn)
            timer_init(&flush_timer, flush_fire, NULL);
        if (!flush_timer.armed)
            timer_set(&flush_timer, this_cpu_id(),
                      arch_counter() + ms_to_ticks(CONSOLE_PARTIAL_MS));
    }
    spin_unlock_irqrestore(&flush_lock, f);
}

/* Was d typed to in the last CONSOLE_ECHO_MS? */
static bool typed_recently(struct console_log *c)
{
    return arch_counter() < __atomic_load_n(&c->echo_until, __ATOMIC_RELAXED);
}

void console_guest_typed(struct domain *d)
{
    __atomic_store_n(&d->con->echo_until, arch_counter() + ms_to_ticks(CONSOLE_ECHO_MS),
                     __ATOMIC_RELAXED);
}

/* The tokens are refilled where a line goes out (end_line_locked,
 * show_partial_locked), not per call: a vPL011 writes one byte a call. */
size_t console_guest_write(struct domain *d, const char *buf, size_t len)
{
    struct console_log *c = d->con;
    uint64_t f = spin_lock_irqsave(&c->lock);
    for (size_t i = 0; i < len; i++) {
        char ch = buf[i];
        if (c->ring)
            c->ring[c->ring_head++ % CONSOLE_LOG_SIZE] = ch;
        if (ch == '\r')
            continue;
        if (ch != '\n')
            c->line[c->line_len++] = ch;
        if (ch == '\n' || c->line_len == CONSOLE_LINE_MAX)
            end_line_locked(d, c);
    }
    bool partial = c->line_len > c->line_shown;
    if (partial && console_input_focus() == d->id && typed_recently(c)) {
        show_partial_locked(d, c); /* the user is typing to it: echo at once */
        partial = false;
    }
    spin_unlock_irqrestore(&c->lock, f);
    if (partial)
        queue_partial(d);
    return len;
}

void console_guest_flush(struct domain *d)
{
    struct console_log *c = d->con;
    uint64_t f = spin_lock_irqsave(&c->lock);
    if (c->line_len > c->line_shown)
        end_line_locked(d, c);
    c->line_len = c->line_shown = 0;
    spin_unlock_irqrestore(&c->lock, f);
}

void console_domain_event(enum domain_event ev, uint16_t domid, struct domain *d)
{
    if (ev == DOMAIN_SHUTTING_DOWN)
        console_guest_flush(d); /* its last words before the line saying it shut down */
}

void console_guest_show(struct domain *d)
{
    struct console_log *c = d->con;
    uint64_t f = spin_lock_irqsave(&c->lock);
    show_partial_locked(d, c);
    spin_unlock_irqrestore(&c->lock, f);
}
