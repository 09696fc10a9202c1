/*
 * Guest console output (console/console.c, console/printk.c) on a fake UART:
 * whole lines prefixed "(d<N>) " (dom0's bare), partial lines shown after
 * 50 ms by the real timer queue and continued without a second prefix,
 * other output ending an open line first, long lines cut, the per-domain
 * log ring, the token-bucket rate limit and its "dropped" note, a log
 * freed while its partial line waits, and the transmit ring (once the UART's
 * interrupt is attached): nothing waits for a full UART, a flooding domain
 * keeps its share of the ring and no more, Cloison's lines keep the reserve,
 * and a panic sends what waits, then writes directly.
 */
#include "harness.h"
#include <stdlib.h>
#include <cloison/irq.h>
#include <console/console.h>
#include <core/domain.h>
#include <core/timer.h>
#include <cloison/printk.h>
#include "fakes/console_fake.h"
#include "fakes/lock_fake.h"
#include "fakes/timer_fake.h"

static struct domain *mkdom(uint16_t id, bool privileged)
{
    struct domain *d = calloc(1, sizeof(*d));
    d->id = id;
    d->is_privileged = privileged;
    snprintf(d->name, sizeof(d->name), "dom%u", id);
    if (console_log_init(d) != 0)
        abort();
    return d;
}

static void rmdom(struct domain *d)
{
    console_log_free(d);
    free(d);
}

static void say(struct domain *d, const char *s)
{
    CHECK_EQ(console_guest_write(d, s, strlen(s)), strlen(s));
}

/* The partial-line timer fires: CONSOLE_PARTIAL_MS later on this pCPU. */
static void after_partial_delay(void)
{
    fake_counter += ms_to_ticks(CONSOLE_PARTIAL_MS);
    timer_irq_init(); /* the timer's PPI handler (again: no conflict) */
    CHECK(irq_dispatch(IRQ_PPI_HYPTIMER));
}

TEST(whole_lines_are_prefixed_and_dom0s_are_not)
{
    fake_timer_reset();
    struct domain *d0 = mkdom(0, true), *d1 = mkdom(1, false);
    fake_uart_clear();
    say(d1, "hello\nworld\n");
    CHECK_STR_EQ(fake_uart_out, "(d1) hello\r\n(d1) world\r\n");
    fake_uart_clear();
    say(d0, "boot\n");
    say(d1, "a\r\nb\n"); /* a guest's CR is dropped; the UART gets CRLF */
    CHECK_STR_EQ(fake_uart_out, "boot\r\n(d1) a\r\n(d1) b\r\n");
    CHECK_EQ(fake_locks_held, 0);
    rmdom(d0);
    rmdom(d1);
}

TEST(a_partial_line_shows_after_50ms_and_continues)
{
    fake_timer_reset();
    struct domain *d1 = mkdom(1, false);
    fake_uart_clear();
    say(d1, "login: ");
    CHECK_STR_EQ(fake_uart_out, "");
    CHECK_EQ(fake_hyptimer[0], ms_to_ticks(CONSOLE_PARTIAL_MS));
    say(d1, "x"); /* already queued: one timer */
    after_partial_delay();
    CHECK_STR_EQ(fake_uart_out, "(d1) login: x");
    CHECK_EQ(fake_hyptimer[0], FAKE_HYPTIMER_OFF);
    say(d1, "root\n");
    CHECK_STR_EQ(fake_uart_out, "(d1) login: xroot\r\n");
    /* A line completed before the delay is shown whole, once. */
    fake_uart_clear();
    say(d1, "abc");
    say(d1, "def\n");
    after_partial_delay();
    CHECK_STR_EQ(fake_uart_out, "(d1) abcdef\r\n");
    rmdom(d1);
}

TEST(other_output_ends_an_open_line_first)
{
    fake_timer_reset();
    struct domain *d1 = mkdom(1, false), *d2 = mkdom(2, false);
    fake_uart_clear();
    say(d1, "abc");
    after_partial_delay();
    say(d2, "x\n");
    say(d1, "def\n");
    CHECK_STR_EQ(fake_uart_out, "(d1) abc\r\n(d2) x\r\n(d1) def\r\n");
    fake_uart_clear();
    say(d1, "$ ");
    after_partial_delay();
    printk("note %d", 5);
    say(d1, "ls\n");
    CHECK_STR_EQ(fake_uart_out, "(d1) $ \r\n(cloison) note 5\r\n(d1) ls\r\n");
    rmdom(d1);
    rmdom(d2);
}

TEST(a_long_line_is_cut_at_the_line_size)
{
    fake_timer_reset();
    struct domain *d1 = mkdom(1, false);
    char line[CONSOLE_LINE_MAX + 45];
    memset(line, 'x', sizeof(line) - 1);
    line[sizeof(line) - 1] = 0;
    fake_uart_clear();
    say(d1, line);
    CHECK_EQ(fake_uart_len, 5 + CONSOLE_LINE_MAX + 2); /* prefix, 256 bytes, CRLF */
    CHECK(memcmp(fake_uart_out + fake_uart_len - 3, "x\r\n", 3) == 0);
    console_guest_flush(d1); /* the rest, ended (as at shutdown) */
    CHECK_EQ(fake_uart_len, 2 * (5 + 2) + CONSOLE_LINE_MAX + 44);
    rmdom(d1);
}

/* The log keeps the last CONSOLE_LOG_SIZE bytes of everything the guest
 * wrote, rate limit or not, carriage returns included. */
TEST(the_log_ring_keeps_the_last_bytes)
{
    fake_timer_reset();
    struct domain *d1 = mkdom(1, false);
    char buf[1000];
    for (unsigned int i = 0; i < 20; i++) {
        memset(buf, 'a' + (int)i, sizeof(buf));
        buf[sizeof(buf) - 2] = '\r';
        buf[sizeof(buf) - 1] = '\n';
        console_guest_write(d1, buf, sizeof(buf));
    }
    const struct console_log *c = d1->con;
    CHECK_EQ(c->ring_head, 20000);
    CHECK_EQ(c->ring[(c->ring_head - 1) % CONSOLE_LOG_SIZE], '\n');
    CHECK_EQ(c->ring[(c->ring_head - 3) % CONSOLE_LOG_SIZE], 't');
    _Static_assert(CONSOLE_LOG_SIZE == 2048, "the byte below");
    CHECK_EQ(c->ring[(c->ring_head - CONSOLE_LOG_SIZE) % CONSOLE_LOG_SIZE], 'r'); /* byte 17952 */
    rmdom(d1);
}

/* 16 KiB at once, then what the UART carries (11520 bytes/s at 115200
 * baud): what does not fit is dropped and counted, and the next line shown
 * says how much. */
TEST(the_rate_limit_drops_and_then_says_so)
{
    fake_timer_reset();
    fake_counter = 1000;
    struct domain *d3 = mkdom(3, false);
    char line[100];
    memset(line, 'r', sizeof(line) - 1);
    line[sizeof(line) - 1] = '\n';
    fake_uart_clear();
    for (int i = 0; i < 200; i++)
        console_guest_write(d3, line, sizeof(line));
    /* 163 lines of 100 bytes fit in 16384; 37 do not. */
    CHECK_EQ(fake_uart_len, 163 * (5 + 99 + 2));
    CHECK_EQ(d3->con->dropped, 3700);
    /* A partial line waits for tokens too. */
    say(d3, "wait");
    after_partial_delay(); /* 50 ms: 576 bytes of tokens, enough */
    CHECK_EQ(fake_uart_len, 163 * (5 + 99 + 2) + 5 + 4);
    say(d3, "\n");
    fake_counter += 2 * FAKE_TIMER_FREQ; /* two seconds: the bucket is full again */
    fake_uart_clear();
    say(d3, "ok\n");
    CHECK_STR_EQ(fake_uart_out, "(d3) [3700 bytes dropped: rate limit]\r\n(d3) ok\r\n");
    CHECK_EQ(d3->con->dropped, 0);
    CHECK_EQ(d3->con->tokens, CONSOLE_BURST_BYTES - 3);
    rmdom(d3);
}

/* A domain freed while its partial line waits: the flush must not touch it
 * (ASan would see it), and the others' lines are still shown. */
TEST(a_freed_log_leaves_the_flush_list)
{
    fake_timer_reset();
    struct domain *d1 = mkdom(1, false), *d2 = mkdom(2, false), *d4 = mkdom(4, false);
    fake_uart_clear();
    say(d1, "one");
    say(d2, "two");
    say(d4, "four");
    rmdom(d2);
    rmdom(d4);
    after_partial_delay();
    CHECK_STR_EQ(fake_uart_out, "(d1) one");
    console_guest_flush(d1);
    rmdom(d1);
    CHECK_EQ(fake_locks_held, 0);
}

/* With the focus and typed to in the last CONSOLE_ECHO_MS, a partial line
 * (the echo of a key, the prompt after a command) shows at once; a focused
 * guest printing on its own goes out a line at a time, as any other. */
TEST(the_focused_domain_echoes_at_once_while_typed_to)
{
    fake_timer_reset();
    struct domain *d1 = mkdom(1, false);
    console_input_init(true);       /* focus to domains */
    console_input_attach(d1, NULL); /* the first to take input gets the focus */
    CHECK_EQ(console_input_focus(), 1);
    fake_uart_clear();
    console_guest_typed(d1);
    say(d1, "# ");
    CHECK_STR_EQ(fake_uart_out, "(d1) # ");
    CHECK_EQ(fake_hyptimer[0], FAKE_HYPTIMER_OFF); /* no timer needed */
    fake_counter += ms_to_ticks(CONSOLE_ECHO_MS - 1);
    say(d1, "l");
    CHECK_STR_EQ(fake_uart_out, "(d1) # l");
    fake_counter += ms_to_ticks(1);
    say(d1, "s");
    CHECK_STR_EQ(fake_uart_out, "(d1) # l"); /* the window is over */
    after_partial_delay();
    CHECK_STR_EQ(fake_uart_out, "(d1) # ls");
    say(d1, "\n");
    fake_uart_clear();
    say(d1, "boot");
    CHECK_STR_EQ(fake_uart_out, ""); /* not typed to: waits for its line */
    say(d1, "ing\n");
    CHECK_STR_EQ(fake_uart_out, "(d1) booting\r\n");
    console_guest_flush(d1);
    console_input_detach(d1);
    CHECK_EQ(console_input_focus(), CONSOLE_FOCUS_CLOISON);
    rmdom(d1);
}

/* However long a domain was silent, its bucket is full again: the elapsed
 * time times the rate must not overflow (2^48 ticks is 52 days at 62.5 MHz,
 * 3.3 days with the 1 GHz counter ARMv8.6 requires). */
TEST(the_bucket_refills_after_any_silence)
{
    fake_timer_reset();
    struct domain *d5 = mkdom(5, false);
    char line[128];
    memset(line, 's', sizeof(line) - 1);
    line[sizeof(line) - 1] = '\n';
    for (int i = 0; i < CONSOLE_BURST_BYTES / (int)sizeof(line); i++)
        console_guest_write(d5, line, sizeof(line));
    CHECK_EQ(d5->con->tokens, 0);
    fake_counter = 1ULL << 48;
    fake_uart_clear();
    say(d5, "back\n");
    CHECK_STR_EQ(fake_uart_out, "(d5) back\r\n");
    CHECK_EQ(d5->con->tokens, CONSOLE_BURST_BYTES - 5);
    fake_counter += 3ULL << 48;
    say(d5, "again\n");
    CHECK_EQ(d5->con->tokens, CONSOLE_BURST_BYTES - 6);
    rmdom(d5);
}

/* Once the interrupt is attached, writing never waits for the UART: with its
 * FIFO full, a line goes into the ring and out with the transmit interrupt
 * once the FIFO has room again. */
TEST(output_never_waits_for_a_full_uart)
{
    fake_timer_reset();
    struct domain *d6 = mkdom(6, false);
    console_input_init(true); /* attaches the UART's interrupt (again: the same handler) */
    fake_uart_clear();
    fake_uart_tx_room = 0;
    say(d6, "queued\n");
    printk("also queued");
    CHECK_STR_EQ(fake_uart_out, "");
    CHECK(fake_uart_tx_irq);
    fake_uart_tx_room = 4; /* the FIFO drains a little: the interrupt sends that much */
    fake_uart_take_tx();
    CHECK_STR_EQ(fake_uart_out, "(d6)");
    fake_uart_tx_room = SIZE_MAX;
    fake_uart_take_tx();
    CHECK_STR_EQ(fake_uart_out, "(d6) queued\r\n(cloison) also queued\r\n");
    CHECK(!fake_uart_tx_irq); /* nothing waits: the interrupt is off */
    CHECK_EQ(fake_locks_held, 0);
    rmdom(d6);
}

/* Two guests flood a UART that sends nothing: each keeps at most its share
 * of the ring (all but the reserve, over the writers and one more), a third
 * that writes one line gets it in, Cloison's own line gets in through the
 * reserve, and everything comes out in order once the UART drains. */
TEST(flooding_domains_keep_their_share_of_the_ring)
{
    fake_timer_reset();
    fake_counter = 1000;
    struct domain *a = mkdom(7, false), *b = mkdom(8, false), *q = mkdom(9, false);
    char line[64];
    memset(line, 'f', sizeof(line) - 1);
    line[sizeof(line) - 1] = '\n';
    fake_uart_clear();
    fake_uart_tx_room = 0;
    for (int i = 0; i < 300; i++) { /* 300 lines of 70 bytes: 21000, over any share */
        console_guest_write(a, line, sizeof(line));
        console_guest_write(b, line, sizeof(line));
    }
    CHECK(a->con->dropped > 0 && b->con->dropped > 0);
    say(q, "quiet\n");
    CHECK_EQ(q->con->dropped, 0);
    printk("cloison still speaks");
    fake_uart_tx_room = SIZE_MAX;
    fake_uart_take_tx();
    /* Two writers with bytes waiting: each a third of 16384 - 2048, 68 lines. */
    size_t na = 0, nb = 0;
    for (const char *p = fake_uart_out; (p = strstr(p, "(d7) ")) != NULL; p++)
        na++;
    for (const char *p = fake_uart_out; (p = strstr(p, "(d8) ")) != NULL; p++)
        nb++;
    CHECK_EQ(na, (16384 - 2048) / 3 / 70);
    CHECK_EQ(nb, (16384 - 2048) / 3 / 70);
    CHECK(strstr(fake_uart_out, "(d9) quiet\r\n(cloison) cloison still speaks\r\n") != NULL);
    CHECK(!fake_uart_tx_irq);
    rmdom(a);
    rmdom(b);
    rmdom(q);
}

/* A panic sends what waits in the ring, then writes straight to the UART:
 * its message must get out when nothing else works. (Last: output stays
 * synchronous afterwards.) */
TEST(a_panic_sends_what_waits_then_writes_directly)
{
    fake_timer_reset();
    struct domain *d6 = mkdom(6, false);
    fake_uart_clear();
    fake_uart_tx_room = 0;
    say(d6, "last words\n");
    CHECK_STR_EQ(fake_uart_out, "");
    printk_panic();
    CHECK_STR_EQ(fake_uart_out, "(d6) last words\r\n");
    printk("PANIC on pCPU0: test");
    CHECK_STR_EQ(fake_uart_out, "(d6) last words\r\n(cloison) PANIC on pCPU0: test\r\n");
    fake_uart_tx_room = SIZE_MAX;
    rmdom(d6);
}
