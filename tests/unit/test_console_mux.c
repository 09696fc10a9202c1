/* Console input multiplexer: what Ctrl-a does, and where the focus goes. */
#include "harness.h"
#include "../../hypervisor/console/console_mux.h"

/* Feed a string; return what reached the focus and count the switches. */
static size_t feed(struct console_mux *m, const char *in, size_t n, char *got, int *switches)
{
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        struct console_mux_out o;
        console_mux_feed(m, in[i], &o);
        *switches += o.do_switch;
        CHECK(!(o.do_switch && o.len));
        memcpy(got + len, o.buf, o.len);
        len += o.len;
    }
    return len;
}

TEST(plain_bytes_pass_through)
{
    struct console_mux m = {0};
    char got[16];
    int sw = 0;
    size_t n = feed(&m, "ls\n", 3, got, &sw);
    CHECK_EQ(n, 3);
    CHECK(memcmp(got, "ls\n", 3) == 0);
    CHECK_EQ(sw, 0);
}

TEST(three_ctrl_a_switch_and_are_swallowed)
{
    struct console_mux m = {0};
    char got[16];
    int sw = 0;
    size_t n = feed(&m, "\x01\x01\x01", 3, got, &sw);
    CHECK_EQ(n, 0);
    CHECK_EQ(sw, 1);
    n = feed(&m, "\x01\x01\x01\x01\x01\x01", 6, got, &sw);
    CHECK_EQ(sw, 3);
    CHECK_EQ(n, 0);
}

TEST(fewer_ctrl_a_reach_the_guest_before_the_next_byte)
{
    struct console_mux m = {0};
    char got[16];
    int sw = 0;
    size_t n = feed(&m, "\x01x", 2, got, &sw);
    CHECK_EQ(n, 2);
    CHECK(memcmp(got, "\x01x", 2) == 0);
    n = feed(&m, "\x01\x01y", 3, got, &sw);
    CHECK_EQ(n, 3);
    CHECK(memcmp(got, "\x01\x01y", 3) == 0);
    CHECK_EQ(sw, 0);
}

TEST(a_byte_between_ctrl_a_restarts_the_count)
{
    struct console_mux m = {0};
    char got[16];
    int sw = 0;
    size_t n = feed(&m, "\x01\x01q\x01\x01", 5, got, &sw);
    CHECK_EQ(sw, 0);
    CHECK_EQ(n, 3); /* two Ctrl-a and q; the last two still held back */
    n = feed(&m, "\x01", 1, got, &sw);
    CHECK_EQ(sw, 1);
    CHECK_EQ(n, 0);
}

TEST(focus_cycles_through_domains_then_cloison)
{
    const uint16_t ids[] = {1, 3, 7};
    CHECK_EQ(console_mux_next(0, ids, 3), 1);
    CHECK_EQ(console_mux_next(1, ids, 3), 3);
    CHECK_EQ(console_mux_next(3, ids, 3), 7);
    CHECK_EQ(console_mux_next(7, ids, 3), 0);
}

TEST(focus_moves_on_from_a_vanished_domain)
{
    const uint16_t ids[] = {1, 4};
    CHECK_EQ(console_mux_next(2, ids, 2), 4); /* d2 died: next one up */
    CHECK_EQ(console_mux_next(4, ids, 1), 0);
    CHECK_EQ(console_mux_next(0, ids, 0), 0); /* nobody takes input: Cloison */
}

TEST(next_over_thousands_of_domains)
{
    static uint16_t ids[4096];
    for (unsigned int i = 0; i < 4096; i++)
        ids[i] = (uint16_t)(2 * i + 1); /* odd slots: 1 .. 8191 */
    CHECK_EQ(console_mux_next(0, ids, 4096), 1);
    CHECK_EQ(console_mux_next(1, ids, 4096), 3);
    CHECK_EQ(console_mux_next(2, ids, 4096), 3);
    CHECK_EQ(console_mux_next(4000, ids, 4096), 4001);
    CHECK_EQ(console_mux_next(8190, ids, 4096), 8191);
    CHECK_EQ(console_mux_next(8191, ids, 4096), 0);
}
