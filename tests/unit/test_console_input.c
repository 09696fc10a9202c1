/*
 * Console input (console/console_input.c, console_keys.c, console_mux.c)
 * from a fake UART: the receive interrupt, focus at attach (the first domain
 * that takes input, then dom0, unless the user chose), Ctrl-a three times
 * cycling Cloison -> d0 -> d1 -> ..., held-back Ctrl-a bytes released to
 * the focus, 256 bytes per interrupt, focus moving on when its domain
 * leaves, and debug keys while Cloison has the focus.
 *
 * console_input.c keeps its state for the life of the binary (as for the
 * life of the machine): the tests run in file order, each from where the
 * previous one left it.
 */
#include "harness.h"
#include <stdlib.h>
#include <cloison/irq.h>
#include <console/console.h>
#include <core/cpupool.h>
#include <core/domain.h>
#include <core/vcpu.h>
#include <cloison/percpu.h>
#include "fakes/console_fake.h"
#include "fakes/lock_fake.h"
#include "fakes/timer_fake.h"

static struct domain *dom[4];
static char got[4][1024]; /* what each domain received */
static size_t ngot[4];
static bool rx_unmasked;

static size_t rx(struct domain *d, const char *buf, size_t len)
{
    if (!fake_irqs_masked)
        rx_unmasked = true;
    memcpy(got[d->id] + ngot[d->id], buf, len);
    ngot[d->id] += len;
    return len;
}

static struct domain *mkdom(uint16_t id)
{
    struct domain *d = calloc(1, sizeof(*d));
    d->id = id;
    d->is_privileged = id == 0;
    snprintf(d->name, sizeof(d->name), "dom%u", id);
    d->nr_vcpus = 1;
    d->vcpus[0] = calloc(1, sizeof(struct vcpu));
    d->vcpus[0]->domain = d;
    d->vcpus[0]->state = VCPU_BLOCKED;
    if (console_log_init(d) != 0)
        abort();
    dom[id] = d;
    return d;
}

static void rmdom(struct domain *d)
{
    console_input_detach(d);
    console_log_free(d);
    dom[d->id] = NULL;
    free(d->vcpus[0]);
    free(d);
}

/* Bytes arrive at the UART and its interrupt is taken. */
static void type(const char *s)
{
    fake_uart_type(s, strlen(s));
    CHECK(irq_dispatch(FAKE_UART_IRQ));
}

static void clear_got(void)
{
    memset(ngot, 0, sizeof(ngot));
    memset(got, 0, sizeof(got));
}

#define SWITCH "\x01\x01\x01"

TEST(init_enables_the_uart_interrupt)
{
    fake_timer_reset();
    CHECK(!irq_dispatch(FAKE_UART_IRQ)); /* not before init */
    console_input_init(true);            /* focus to domains (no conswitch=<c>x) */
    CHECK_EQ(fake_irq_enabled, FAKE_UART_IRQ);
    CHECK(fake_uart_rx_enabled);
    CHECK(!irq_dispatch(FAKE_UART_IRQ + 1));
    CHECK(irq_dispatch(FAKE_UART_IRQ));
    CHECK_EQ(fake_uart_rx_acks, 1);
    CHECK_EQ(console_input_focus(), CONSOLE_FOCUS_CLOISON);
}

TEST(focus_goes_to_the_first_domain_then_to_dom0)
{
    fake_uart_clear();
    console_input_attach(mkdom(2), rx);
    CHECK_EQ(console_input_focus(), 2);
    CHECK_STR_EQ(fake_uart_out,
                 "(cloison) console input: d2 (dom2) (type Ctrl-a three times to switch)\r\n");
    console_input_attach(mkdom(1), rx);
    CHECK_EQ(console_input_focus(), 2);
    console_input_attach(mkdom(0), rx);
    CHECK_EQ(console_input_focus(), 0);
    type("ls\n");
    CHECK_EQ(ngot[0], 3);
    CHECK(memcmp(got[0], "ls\n", 3) == 0);
    CHECK_EQ(ngot[1] + ngot[2], 0);
    CHECK(!rx_unmasked); /* delivered with IRQs masked, under the input lock */
    CHECK_EQ(fake_locks_held, 0);
}

/* Ascending ids after Cloison; a switch shows the new focus's prompt. */
TEST(ctrl_a_three_times_cycles_through_cloison_and_the_domains)
{
    clear_got();
    console_guest_write(dom[1], "d1$ ", 4);
    fake_uart_clear();
    type(SWITCH);
    CHECK_EQ(console_input_focus(), 1);
    CHECK_STR_EQ(fake_uart_out, "(cloison) console input: d1 (dom1) (type Ctrl-a three times to "
                                "switch)\r\n(d1) d1$ ");
    console_guest_flush(dom[1]);
    type(SWITCH);
    CHECK_EQ(console_input_focus(), 2);
    type(SWITCH);
    CHECK_EQ(console_input_focus(), CONSOLE_FOCUS_CLOISON);
    type(SWITCH SWITCH);
    CHECK_EQ(console_input_focus(), 1);
    /* Six in a row are two switches; nothing reaches a guest. */
    CHECK_EQ(ngot[0] + ngot[1] + ngot[2], 0);
}

/* One or two Ctrl-a go to the guest with the next byte (its own shell may
 * use them); they are held back until then. */
TEST(held_back_ctrl_a_reaches_the_guest_with_the_next_byte)
{
    clear_got();
    type("\x01");
    CHECK_EQ(ngot[1], 0);
    type("x\x01\x01y");
    CHECK_EQ(ngot[1], 5);
    CHECK(memcmp(got[1], "\x01x\x01\x01y", 5) == 0);
    type("\x01\x01");
    type("\x01"); /* the third, in a later interrupt: still a switch */
    CHECK_EQ(console_input_focus(), 2);
    CHECK_EQ(ngot[1], 5);
}

/* Bytes given to a domain open its echo window (console/console.h): its
 * partial lines then show at once; bytes Cloison keeps (a held-back Ctrl-a)
 * do not. */
TEST(typing_to_a_domain_opens_its_echo_window)
{
    struct domain *d = dom[console_input_focus()];
    CHECK(d != NULL);
    d->con->echo_until = 0;
    type("\x01");
    CHECK_EQ(d->con->echo_until, 0);
    fake_counter += 5;
    type("z");
    CHECK_EQ(d->con->echo_until, fake_counter + ms_to_ticks(CONSOLE_ECHO_MS));
}

/* A flood cannot hold the CPU: 256 bytes per interrupt, the rest on the next. */
TEST(at_most_256_bytes_per_interrupt)
{
    clear_got();
    char many[300];
    memset(many, 'z', sizeof(many));
    fake_uart_type(many, sizeof(many));
    CHECK(irq_dispatch(FAKE_UART_IRQ));
    CHECK_EQ(ngot[2], 256);
    CHECK_EQ(fake_uart_pending(), 44);
    CHECK(irq_dispatch(FAKE_UART_IRQ));
    CHECK_EQ(ngot[2], 300);
}

/* Keys typed to Cloison are debug keys; a held-back Ctrl-a is not one. */
TEST(debug_keys_while_cloison_has_the_focus)
{
    type(SWITCH);
    CHECK_EQ(console_input_focus(), CONSOLE_FOCUS_CLOISON);
    clear_got();
    fake_uart_clear();
    type("h");
    CHECK(strstr(fake_uart_out, "(cloison) 'h': this help\r\n") != NULL);
    CHECK(strstr(fake_uart_out, "(cloison) 'q': domains and their vCPUs\r\n") != NULL);
    CHECK(strstr(fake_uart_out, "Ctrl-a three times: switch console input") != NULL);
    fake_uart_clear();
    fake_domain_count = 3;
    dom[1]->ram_size = 64ULL << 20;
    dom[1]->vcpus[0]->runtime = FAKE_TIMER_FREQ / 2;
    dom[1]->vcpus[0]->nr_traps = 7;
    type("\x01q");
    CHECK(strstr(fake_uart_out, "(cloison) 3 domains; those with console input:\r\n") != NULL);
    CHECK(strstr(fake_uart_out, "(cloison) d1 (dom1): 1 vCPU, 64 MiB\r\n") != NULL);
    CHECK(
        strstr(
            fake_uart_out,
            "(cloison)   d1v0: blocked on pCPU0, runtime 500 ms, 7 traps, 0 stage-2 retries\r\n") !=
        NULL);
    fake_uart_clear();
    pcpus[0].online = pcpus[1].online = true;
    pcpus[0].current = dom[2]->vcpus[0];
    pcpus[1].pool = (struct cpupool *)&fake_pool;
    type("r");
    CHECK_STR_EQ(fake_uart_out, "(cloison) pCPU0 (no pool): running d2v0, 0 slice ends\r\n"
                                "(cloison) pCPU1 (Pool-7): idle, 0 slice ends\r\n");
    pcpus[0].current = NULL;
    pcpus[1].pool = NULL;
    fake_uart_clear();
    type("m");
    CHECK_STR_EQ(fake_uart_out,
                 "(cloison) memory: 1048576 KiB total, 800000 KiB free, heap 12345 B in 7 pages\r\n"
                 "(cloison) VMIDs: 8 bits, 3 rollovers at 0 ms, 3 domains\r\n");
    fake_uart_clear();
    type("z\x7f\n");
    CHECK_STR_EQ(fake_uart_out, "");
    CHECK_EQ(ngot[0] + ngot[1] + ngot[2], 0);
    CHECK_EQ(fake_locks_held, 0);
}

/* When the focused domain leaves, the focus moves to the next one (or back
 * to Cloison after the last). */
TEST(focus_moves_on_when_its_domain_leaves)
{
    type(SWITCH SWITCH); /* Cloison -> d0 -> d1 */
    CHECK_EQ(console_input_focus(), 1);
    rmdom(dom[1]);
    CHECK_EQ(console_input_focus(), 2);
    rmdom(dom[2]);
    CHECK_EQ(console_input_focus(), CONSOLE_FOCUS_CLOISON);
    type(SWITCH);
    CHECK_EQ(console_input_focus(), 0);
    type(SWITCH);
    CHECK_EQ(console_input_focus(), CONSOLE_FOCUS_CLOISON); /* dom0 is the only one */
}

/* Once the user has switched, a dom0 that comes (back) does not take the focus. */
TEST(the_users_choice_stands)
{
    rmdom(dom[0]);
    CHECK_EQ(console_input_focus(), CONSOLE_FOCUS_CLOISON);
    console_input_attach(mkdom(0), rx);
    CHECK_EQ(console_input_focus(), CONSOLE_FOCUS_CLOISON);
    rmdom(dom[0]);
    CHECK_EQ(fake_locks_held, 0);
}
