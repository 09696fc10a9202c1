/*
 * The console input multiplexer's pure logic (console/console_mux.c), kept apart
 * from the UART, locks and domains so the host unit tests can drive it.
 */
#ifndef CONSOLE_MUX_H
#define CONSOLE_MUX_H

#include <cloison/types.h>

#define CONSOLE_SWITCH_CHAR 0x01 /* Ctrl-a */
#define CONSOLE_SWITCH_COUNT 3

struct console_mux {
    unsigned int pending; /* Ctrl-a typed in a row and held back so far */
};

struct console_mux_out {
    bool do_switch; /* the third Ctrl-a: move the focus */
    size_t len;     /* bytes to deliver to the focus, in order */
    char buf[CONSOLE_SWITCH_COUNT];
};

/* Feed one typed byte. As Xen: Ctrl-a is held back; the third in a row
 * switches (and is swallowed with the other two); any other byte first
 * releases the held-back Ctrl-a to the focus, then itself, so a single or
 * double Ctrl-a still reaches the guest (e.g. for its own shell). */
void console_mux_feed(struct console_mux *m, char c, struct console_mux_out *out);

/* Next focus after `cur` over the ids that can take input (ascending, no 0):
 * the smallest id above cur, or 0 (Cloison) after the last. O(log n). */
uint16_t console_mux_next(uint16_t cur, const uint16_t *ids, size_t n);

#endif
