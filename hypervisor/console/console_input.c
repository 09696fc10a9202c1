/*
 * Console input (see console/console.h): the UART receive interrupt, the
 * Ctrl-a x3 multiplexer (pure logic in console_mux.c), the set of domains
 * that can take input, and the focus among them.
 *
 * Everything here runs under input_lock with IRQs masked. A domain's
 * receive callback runs under it too, and console_input_detach() takes it,
 * so a domain is never freed while bytes are being delivered to it.
 *
 * The focus is kept as a slot, domain id + 1, so that dom0 (id 0) and
 * Cloison (slot 0) stay apart; the order Cloison -> dom0 -> d1 -> ... is
 * Xen's.
 */
#include <cloison/assert.h>
#include <console/console.h>
#include <core/domain.h>
#include <cloison/irq.h>
#include <cloison/mm.h>
#include <drivers/irqchip.h>
#include <cloison/printk.h>
#include <cloison/spinlock.h>
#include <drivers/uart.h>
#include <string.h>

#include "console_keys.h"
#include "console_mux.h"

#define INPUT_FIRST_CAP 16 /* the tables grow by doubling: any number of domains */
#define RX_BUDGET 256      /* bytes per interrupt, so a flood cannot wedge a CPU */

struct input_dom {
    struct domain *d;
    console_rx_fn rx;
};

static spinlock_t input_lock = SPINLOCK_INIT;
/* Ascending domain id; slots[i] is doms[i]'s focus slot (for the mux). */
static struct input_dom *doms;
static uint16_t *slots;
static size_t nr_doms, cap_doms;
static uint32_t focus; /* slot: 0 Cloison, else domid + 1; read lock-free */
static bool focus_chosen;
static bool focus_by_user;    /* Ctrl-a x3 was used: dom0 no longer takes it */
static bool focus_to_domains; /* false (conswitch=<c>x): Cloison keeps it at boot */
static struct console_mux mux;

static uint32_t slot_of(uint16_t id)
{
    return (uint32_t)id + 1;
}

uint16_t console_input_focus(void)
{
    uint32_t slot = __atomic_load_n(&focus, __ATOMIC_RELAXED);
    return slot ? (uint16_t)(slot - 1) : CONSOLE_FOCUS_CLOISON;
}

/* Where id is in doms (ascending), or where it would go: binary search, as
 * every typed byte looks up the focus among thousands of domains. */
static size_t index_of_locked(uint16_t id)
{
    ASSERT_HELD(&input_lock);
    size_t lo = 0, hi = nr_doms;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (doms[mid].d->id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static struct input_dom *find_locked(uint16_t id)
{
    size_t i = index_of_locked(id);
    return i < nr_doms && doms[i].d->id == id ? &doms[i] : NULL;
}

/* Move the focus to `slot` (0 = Cloison) and say so; lock held. */
static void set_focus_locked(uint32_t slot)
{
    ASSERT_HELD(&input_lock);
    struct input_dom *e = slot ? find_locked((uint16_t)(slot - 1)) : NULL;
    if (!e)
        slot = 0;
    __atomic_store_n(&focus, slot, __ATOMIC_RELAXED);
    if (!e) {
        printk("console input: cloison (type Ctrl-a three times to switch)");
        return;
    }
    printk("console input: d%u (%s) (type Ctrl-a three times to switch)", e->d->id, e->d->name);
    console_guest_show(e->d); /* its prompt, now */
}

/* Domain ids are below DOMID_FIRST_RESERVED (0x7ff0), so slots fit 16 bits. */
static uint32_t next_focus_locked(uint32_t cur)
{
    ASSERT_HELD(&input_lock);
    return console_mux_next((uint16_t)cur, slots, nr_doms);
}

/* Room for one more domain: the tables doubled when full, allocated with
 * the lock dropped; false when memory is short. Lock held on entry and
 * exit (*f its flags). */
static bool make_room_locked(uint64_t *f)
{
    ASSERT_HELD(&input_lock);
    while (nr_doms == cap_doms) {
        size_t cap = cap_doms ? 2 * cap_doms : INPUT_FIRST_CAP;
        spin_unlock_irqrestore(&input_lock, *f);
        struct input_dom *nd = xmalloc(cap * sizeof(*nd));
        uint16_t *ns = xmalloc(cap * sizeof(*ns));
        *f = spin_lock_irqsave(&input_lock);
        struct input_dom *old_d = nd;
        uint16_t *old_s = ns;
        if (nd && ns && cap > cap_doms) { /* (unless another attach grew them meanwhile) */
            if (nr_doms) {
                memcpy(nd, doms, nr_doms * sizeof(*nd));
                memcpy(ns, slots, nr_doms * sizeof(*ns));
            }
            old_d = doms;
            old_s = slots;
            doms = nd;
            slots = ns;
            cap_doms = cap;
        }
        spin_unlock_irqrestore(&input_lock, *f);
        xfree(old_d);
        xfree(old_s);
        *f = spin_lock_irqsave(&input_lock);
        if (!nd || !ns)
            return nr_doms < cap_doms;
    }
    return true;
}

void console_input_attach(struct domain *d, console_rx_fn rx)
{
    uint64_t f = spin_lock_irqsave(&input_lock);
    if (!make_room_locked(&f)) {
        spin_unlock_irqrestore(&input_lock, f);
        printk("d%u (%s): console input not available (out of memory)", d->id, d->name);
        return;
    }
    /* Ids grow as domains are created: nearly always appended; otherwise
     * the tail moves up one (a memmove, no per-entry work). */
    size_t i = index_of_locked(d->id);
    memmove(&doms[i + 1], &doms[i], (nr_doms - i) * sizeof(*doms));
    memmove(&slots[i + 1], &slots[i], (nr_doms - i) * sizeof(*slots));
    nr_doms++;
    doms[i] = (struct input_dom){d, rx};
    slots[i] = (uint16_t)slot_of(d->id);
    /* As Xen: dom0 has the input once it exists (unless the user moved it);
     * without dom0, the first domain that can take input. conswitch=<c>x
     * (Xen's option) keeps it with Cloison at boot. */
    if (focus_to_domains && (!focus_chosen || (d->id == 0 && !focus_by_user))) {
        focus_chosen = true;
        set_focus_locked(slot_of(d->id));
    }
    spin_unlock_irqrestore(&input_lock, f);
}

void console_input_detach(struct domain *d)
{
    uint64_t f = spin_lock_irqsave(&input_lock);
    size_t i = index_of_locked(d->id);
    struct input_dom *old_d = NULL;
    uint16_t *old_s = NULL;
    if (i < nr_doms && doms[i].d == d) {
        memmove(&doms[i], &doms[i + 1], (nr_doms - i - 1) * sizeof(*doms));
        memmove(&slots[i], &slots[i + 1], (nr_doms - i - 1) * sizeof(*slots));
        nr_doms--;
        if (focus == slot_of(d->id))
            set_focus_locked(next_focus_locked(slot_of(d->id)));
    }
    if (nr_doms == 0) { /* the last one gone: the tables too, memory back exactly */
        old_d = doms;
        old_s = slots;
        doms = NULL;
        slots = NULL;
        cap_doms = 0;
    }
    spin_unlock_irqrestore(&input_lock, f);
    xfree(old_d);
    xfree(old_s);
}

void console_input_for_each(void (*fn)(struct domain *d))
{
    uint64_t f = spin_lock_irqsave(&input_lock);
    for (size_t i = 0; i < nr_doms; i++)
        fn(doms[i].d);
    spin_unlock_irqrestore(&input_lock, f);
}

/* One typed byte. Returns a debug key for Cloison, or 0. */
static char input_byte(char c)
{
    struct console_mux_out out;
    char key = 0;
    uint64_t f = spin_lock_irqsave(&input_lock);
    console_mux_feed(&mux, c, &out);
    if (out.do_switch) {
        focus_by_user = true;
        set_focus_locked(next_focus_locked(focus));
    } else if (out.len && focus) {
        struct input_dom *e = find_locked((uint16_t)(focus - 1));
        if (e) {
            console_guest_typed(e->d);
            e->rx(e->d, out.buf, out.len);
        }
    } else if (out.len) {
        key = out.buf[out.len - 1]; /* a held-back Ctrl-a is no debug key */
    }
    spin_unlock_irqrestore(&input_lock, f);
    return key;
}

/* The console UART received bytes (its interrupt, already acknowledged). */
static void console_rx(void)
{
    int c;
    for (int budget = RX_BUDGET; budget > 0 && (c = uart_getc()) >= 0; budget--) {
        char key = input_byte((char)c);
        if (key)
            console_debug_key(key);
    }
}

void console_input_init(bool to_domains)
{
    focus_to_domains = to_domains;
    if (uart_irq_attach(console_rx, console_tx_interrupt) != 0) {
        printk("console: the UART has no usable interrupt: input is off, output waits for it");
        return;
    }
    irqchip_enable(uart_irq(), true); /* SPIs are routed to the boot CPU */
    console_tx_start();
}
