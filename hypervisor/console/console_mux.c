/* Console input multiplexer: Ctrl-a x3 detection and focus order (console_mux.h). */
#include "console_mux.h"

void console_mux_feed(struct console_mux *m, char c, struct console_mux_out *out)
{
    out->do_switch = false;
    out->len = 0;
    if (c == CONSOLE_SWITCH_CHAR) {
        if (++m->pending == CONSOLE_SWITCH_COUNT) {
            m->pending = 0;
            out->do_switch = true;
        }
        return;
    }
    /* pending < CONSOLE_SWITCH_COUNT, so the held-back bytes and c fit. */
    for (; m->pending; m->pending--)
        out->buf[out->len++] = CONSOLE_SWITCH_CHAR;
    out->buf[out->len++] = c;
}

/* Binary search: thousands of domains may take input. */
uint16_t console_mux_next(uint16_t cur, const uint16_t *ids, size_t n)
{
    size_t lo = 0, hi = n; /* the first id above cur is in [lo, hi] */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ids[mid] > cur)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo < n ? ids[lo] : 0;
}
