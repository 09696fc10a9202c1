/* Guest console output: line assembly, per-domain log, rate limit (see cloison/console.h). */
#include <cloison/arch.h>
#include <cloison/console.h>
#include <cloison/domain.h>
#include <cloison/mm.h>
#include <cloison/printk.h>
#include <cloison/timer.h>
#include <lib/printf.h>
#include <string.h>

int console_log_init(struct console_log *c)
{
    memset(c, 0, sizeof(*c));
    c->ring = xmalloc(CONSOLE_LOG_SIZE);
    if (!c->ring)
        return -1;
    c->tokens = CONSOLE_BURST_BYTES;
    c->last_refill = arch_counter();
    return 0;
}

void console_log_free(struct console_log *c)
{
    xfree(c->ring);
    c->ring = NULL;
}

static void emit_line(struct domain *d, const char *s, size_t len)
{
    char prefix[16];
    int n = snprintf(prefix, sizeof(prefix), "(d%u) ", d->id);
    char buf[CONSOLE_LINE_MAX + 24];
    memcpy(buf, prefix, (size_t)n);
    memcpy(buf + n, s, len);
    buf[n + len] = '\n';
    console_puts_raw(buf, (size_t)n + len + 1);
}

/* Refill the token bucket; lock held. */
static void refill(struct console_log *c)
{
    uint64_t now = arch_counter(), freq = timer_freq();
    uint64_t add = (now - c->last_refill) * CONSOLE_RATE_BYTES_PER_SEC / (freq ? freq : 1);
    if (add) {
        c->tokens = MIN(c->tokens + add, (uint64_t)CONSOLE_BURST_BYTES);
        c->last_refill = now;
    }
}

size_t console_guest_write(struct domain *d, const char *buf, size_t len)
{
    struct console_log *c = &d->con;
    spin_lock(&c->lock);
    refill(c);
    for (size_t i = 0; i < len; i++) {
        char ch = buf[i];
        if (c->ring)
            c->ring[c->ring_head++ % CONSOLE_LOG_SIZE] = ch;
        if (ch == '\r')
            continue;
        if (ch != '\n')
            c->line[c->line_len++] = ch;
        if (ch == '\n' || c->line_len == CONSOLE_LINE_MAX) {
            if (c->tokens >= c->line_len + 1) {
                c->tokens -= c->line_len + 1;
                if (c->dropped) {
                    char note[64];
                    int n =
                        snprintf(note, sizeof(note), "[%lu bytes dropped: rate limit]", c->dropped);
                    emit_line(d, note, (size_t)n);
                    c->dropped = 0;
                }
                emit_line(d, c->line, c->line_len);
            } else {
                c->dropped += c->line_len + 1;
            }
            c->line_len = 0;
        }
    }
    spin_unlock(&c->lock);
    return len;
}

void console_guest_flush(struct domain *d)
{
    struct console_log *c = &d->con;
    spin_lock(&c->lock);
    if (c->line_len)
        emit_line(d, c->line, c->line_len);
    c->line_len = 0;
    spin_unlock(&c->lock);
}
