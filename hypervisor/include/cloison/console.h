/*
 * Guest consoles: each domain's output goes to the hypervisor console, one
 * whole line at a time prefixed "(d<id>) ", and into a bounded per-domain log
 * so the output of a domain that died can still be read.
 * Output is rate-limited per domain (token bucket) so a chatty or hostile
 * guest cannot monopolise the UART.
 */
#ifndef CLOISON_CONSOLE_H
#define CLOISON_CONSOLE_H

#include <cloison/types.h>
#include <cloison/spinlock.h>

#define CONSOLE_LINE_MAX 256
#define CONSOLE_LOG_SIZE 16384
#define CONSOLE_RATE_BYTES_PER_SEC 65536
#define CONSOLE_BURST_BYTES 16384

struct console_log {
    spinlock_t lock;
    char line[CONSOLE_LINE_MAX];
    size_t line_len;
    char *ring;           /* CONSOLE_LOG_SIZE bytes, allocated at domain creation */
    size_t ring_head;     /* total bytes ever written (index = head % size) */
    uint64_t tokens;      /* bytes allowed right now */
    uint64_t last_refill; /* CNTPCT of the last refill */
    uint64_t dropped;     /* bytes dropped by the rate limit since last report */
};

struct domain;
int console_log_init(struct console_log *c);
void console_log_free(struct console_log *c);
/* Append guest output; returns the number of bytes accepted (all of them:
 * dropped bytes are accounted, as Xen never fails a console write). */
size_t console_guest_write(struct domain *d, const char *buf, size_t len);
/* Flush a partial line (at shutdown). */
void console_guest_flush(struct domain *d);

#endif
