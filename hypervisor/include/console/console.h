/*
 * The hypervisor console, shared by Cloison and every guest.
 *
 * Output: each domain's output goes to the UART prefixed "(d<id>) ", a whole
 * line at a time so domains never interleave mid-line, and into a bounded
 * per-domain log so the output of a domain that died can still be read. A
 * partial line (a shell prompt) is shown after CONSOLE_PARTIAL_MS without a
 * newline, or at once while the domain has the input focus and was typed to
 * in the last CONSOLE_ECHO_MS (the echo of what the user types, and the prompt
 * after a command); the rest of the line continues it unless something else
 * was printed in between. A guest printing on its own (a booting kernel's
 * earlycon, one byte per call) thus goes out a line at a time. Output is
 * rate-limited per domain (token bucket) and shares the UART's real bandwidth
 * (the transmit ring, console/printk.c), so a chatty or hostile guest can
 * neither monopolise the UART nor make Cloison wait for it.
 *
 * Input (console/console_input.c, as Xen): the UART's receive interrupt feeds a
 * multiplexer. Ctrl-a typed three times in a row moves the input focus
 * Cloison -> d1 -> d2 -> ... -> Cloison over the domains that can take input
 * (a vPL011, a Cloison-served PV console, or dom0's console_io), printing
 * "console input: ...". As Xen, dom0 gets the focus when there is one; a
 * dom0less system starts on its first such domain (the closest thing, and
 * it makes a lone Linux guest usable without typing Ctrl-a first). When the
 * focused domain goes away, focus moves on.
 * Keys typed while Cloison has the focus are debug keys ('h' lists them).
 */
#ifndef CLOISON_CONSOLE_H
#define CLOISON_CONSOLE_H

#include <cloison/types.h>
#include <cloison/spinlock.h>
#include <core/domain_event.h>

#define CONSOLE_LINE_MAX 256
/* The last bytes a domain wrote (issue 11: every byte of a domain counts;
 * it was 16 KiB). Allocated with the domain, not on demand, so a domain's
 * memory does not change with how much it printed. */
#define CONSOLE_LOG_SIZE 2048
/* A domain's rate is what the UART carries (uart_bytes_per_sec(): 11520
 * bytes/s at 115200 baud), after a burst; together, domains get no more than
 * that either: the transmit ring (console/printk.c) shares it between them. */
#define CONSOLE_BURST_BYTES 16384
#define CONSOLE_PARTIAL_MS 50
#define CONSOLE_ECHO_MS 1000

struct console_log {
    spinlock_t lock;
    char line[CONSOLE_LINE_MAX];
    size_t line_len;
    size_t line_shown;    /* bytes of line[] already on the UART (partial flush) */
    char *ring;           /* CONSOLE_LOG_SIZE bytes, allocated at domain creation */
    size_t ring_head;     /* total bytes ever written (index = head % size) */
    uint64_t tokens;      /* bytes allowed right now */
    uint64_t last_refill; /* CNTPCT of the last refill */
    uint64_t dropped;     /* bytes dropped by the rate limit since last report */
    uint64_t echo_until;  /* CNTPCT: typed to lately, partial lines show at once */
    char prefix[12];      /* "(d<id>) ", or empty for dom0: made once, not per line */
    uint8_t prefix_len;
    /* On the partial-line flush list (under the flush list lock). */
    bool flush_queued;
    struct domain *flush_next;
};

struct domain;
/* d's log (d->con), a part of every domain: 0 or -ENOMEM. */
int console_log_init(struct domain *d);
/* Takes the domain off the partial-flush list, so it must run before the
 * domain is freed. */
void console_log_free(struct domain *d);
/* Append guest output; returns the number of bytes accepted (all of them:
 * dropped bytes are accounted, as Xen never fails a console write). */
size_t console_guest_write(struct domain *d, const char *buf, size_t len);
/* End a partial line now (at shutdown). */
void console_guest_flush(struct domain *d);
/* Lifecycle listener: a domain shutting down ends its partial line. */
void console_domain_event(enum domain_event ev, uint16_t domid, struct domain *d);
/* Show a partial line now, leaving it open (the domain gained the focus). */
void console_guest_show(struct domain *d);
/* Console input was just given to d: its partial lines show at once for a
 * while (console_input.c, with its lock held; lock-free here). */
void console_guest_typed(struct domain *d);

/* ---- output to the UART (console/printk.c) ---- */

/* Boot CPU, once the UART's interrupt is attached: from now on output goes
 * through the transmit ring, which the interrupt drains. */
void console_tx_start(void);
/* The UART's transmit FIFO has room (its interrupt, IRQs masked). */
void console_tx_interrupt(void);

/* ---- input ---- */

/* Deliver typed bytes to d; returns how many it took (the rest is dropped
 * and counted by the device: input never blocks). Called with IRQs masked. */
typedef size_t (*console_rx_fn)(struct domain *d, const char *buf, size_t len);
/* d can take input from now on / no longer (detach returns only when no
 * delivery to d is in progress). */
void console_input_attach(struct domain *d, console_rx_fn rx);
void console_input_detach(struct domain *d);
/* Id of the domain with the input focus, CONSOLE_FOCUS_CLOISON for Cloison
 * itself (dom0 is id 0). */
#define CONSOLE_FOCUS_CLOISON 0xffffu
uint16_t console_input_focus(void);
/* Boot CPU, once the interrupt controller is up: take the UART's receive
 * interrupt (routed to the boot CPU) and enable it. to_domains: the focus
 * goes to dom0, or the first domain taking input, as they appear (false:
 * it stays with Cloison until Ctrl-a x3; Xen's conswitch=<c>x). */
void console_input_init(bool to_domains);

/* A debug key served by a layer above the console (registered at boot, before
 * input is open; up to CONSOLE_EXTRA_KEYS): fn runs when key is typed while
 * Cloison has the input focus, outside the console input lock. */
#define CONSOLE_EXTRA_KEYS 4
void console_register_key(char key, void (*fn)(void), const char *what);

#endif
