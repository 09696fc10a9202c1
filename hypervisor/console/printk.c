/*
 * printk and the console's transmit path. Hypervisor messages and guests'
 * lines go, whole lines at a time, into one transmit ring that the UART
 * drains from its transmit interrupt (drivers/pl011.c), a FIFO's worth per
 * interrupt: no path waits for the UART, whatever its speed, so writing to
 * the console is a bounded stretch (DESIGN.md §7).
 *
 * The ring is shared by what the UART can really carry: a line goes in only
 * if it fits, else it is dropped and counted by whoever wrote it. Guests
 * share all but TX_RESERVE bytes: each may have at most that space over one
 * more than the number of guests with bytes waiting, so flooding guests keep
 * their shares and no more, and a quiet one's line still gets in at once.
 * Cloison's own lines may use the whole ring (the reserve is theirs), and
 * when even that is full they are counted and the count printed once there
 * is room.
 *
 * Until the transmit interrupt is attached (boot), and once a CPU panics,
 * output goes straight to the UART, waiting for it: at boot nothing else
 * runs, and a panic must get its message out when nothing else works.
 *
 * Cloison's own lines are also kept in the log ring (console/conring.c), for
 * xl dmesg, whether or not the UART got them.
 *
 * Line integrity is kept at the ring's entry, as the UART will show it: a
 * guest's partial line stays open until the same guest continues it, and
 * anything else printed first ends it with a newline.
 */
#include <console/console.h>
#include <console/conring.h>
#include <core/domain.h>
#include <cloison/printk.h>
#include <core/vcpu.h>
#include <cloison/spinlock.h>
#include <drivers/uart.h>
#include <lib/printf.h>

#define TX_RING_SIZE 16384u /* a power of two */
#define TX_RESERVE 2048u    /* the last bytes, for Cloison's own lines only */
#define TX_OWNERS 32        /* guests with bytes in the ring at once */
#define TX_BURST 64         /* bytes per drain: more than any PL011's FIFO holds */

/* Who wrote the bytes in the ring: slot 0 is Cloison, the others guests'
 * owners (domid + 1) while they have bytes waiting. */
struct tx_slot {
    unsigned int owner;
    uint32_t queued;
};

static spinlock_t console_lock = SPINLOCK_INIT;
static char ring[TX_RING_SIZE];
static uint8_t ring_slot[TX_RING_SIZE]; /* the slot of each byte */
static uint32_t head, tail;             /* free-running: head - tail bytes wait */
static struct tx_slot slots[TX_OWNERS + 1];
static unsigned int busy_slots; /* guest slots with bytes waiting */
static bool async;              /* the transmit interrupt drains the ring */
static bool tx_irq_on;
static uint64_t lost; /* bytes of Cloison's lines that found no room */
/* Domain whose partial line is out without its newline (0: none):
 * anything else printed first ends that line (console/console.c). */
static unsigned int open_line_owner;

static uint32_t room(void)
{
    return TX_RING_SIZE - (head - tail);
}

/* Bytes s takes on the UART: every newline goes out as "\r\n". */
static size_t wire_len(const char *s, size_t len)
{
    size_t n = len;
    for (size_t i = 0; i < len; i++)
        n += s[i] == '\n';
    return n;
}

static void out_byte(unsigned int slot, char c)
{
    if (!async) {
        uart_putc(c);
        return;
    }
    ring[head % TX_RING_SIZE] = c;
    ring_slot[head % TX_RING_SIZE] = (uint8_t)slot;
    head++;
    if (slots[slot].queued++ == 0 && slot)
        busy_slots++;
}

static void out_locked(unsigned int slot, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\n')
            out_byte(slot, '\r');
        out_byte(slot, s[i]);
    }
}

/* Up to `budget` bytes to the UART while its FIFO takes them; lock held. */
static void drain_locked(unsigned int budget)
{
    for (; tail != head && budget; budget--) {
        if (!uart_tx_put(ring[tail % TX_RING_SIZE]))
            break;
        unsigned int slot = ring_slot[tail % TX_RING_SIZE];
        if (--slots[slot].queued == 0 && slot)
            busy_slots--;
        tail++;
    }
}

/* New bytes are in: top the FIFO up from whichever pCPU added them (never
 * waiting: a full FIFO stops the burst), and have the interrupt go on while
 * any wait (it fires as the FIFO drains: a PL011 raises it when the level
 * falls through its trigger, so the FIFO is filled first). Topping up here
 * too matters because the interrupt reaches one pCPU, which may stay in EL2
 * with IRQs masked for long (the boot CPU building hundreds of domains while
 * the others already run some): the ring would fill and drop their lines.
 * The burst covers what was just added as well: a UART whose FIFO never
 * fills (QEMU's PL011 takes every byte at once) then keeps the ring from
 * growing line by line until it drops them (thousands of boot domains, one
 * line each, with no transmit interrupt on the boot CPU); a real FIFO still
 * stops the burst when full. */
static void kick_locked(uint32_t head_before)
{
    if (!async)
        return;
    drain_locked(TX_BURST + (unsigned int)(head - head_before));
    if (tail != head && !tx_irq_on) {
        uart_tx_irq(true);
        tx_irq_on = true;
    }
}

/* The guest slot of owner, or a free one; -1 if TX_OWNERS others wait. */
static int guest_slot(unsigned int owner)
{
    int free = -1;
    for (int i = 1; i <= TX_OWNERS; i++) {
        if (slots[i].queued && slots[i].owner == owner)
            return i;
        if (!slots[i].queued && free < 0)
            free = i;
    }
    if (free > 0)
        slots[free].owner = owner;
    return free;
}

/* May n more bytes of this guest slot go in? Its share: the ring less the
 * reserve, over the guests with bytes waiting (itself included) and one
 * more, so that k flooding guests hold at most k/(k+1) of it and a guest
 * that writes now and then always finds its share free. */
static bool guest_fits(int slot, size_t n)
{
    if (!async)
        return true;
    if (slot < 0 || room() < TX_RESERVE || n > room() - TX_RESERVE)
        return false;
    unsigned int sharers = busy_slots + (slots[slot].queued == 0) + 1;
    return slots[slot].queued + n <= (TX_RING_SIZE - TX_RESERVE) / sharers;
}

static void end_open_line_locked(void)
{
    if (open_line_owner) {
        out_locked(0, "\n", 1);
        open_line_owner = 0;
    }
}

bool console_puts_line_part(unsigned int owner, const char *prefix, size_t plen, const char *s,
                            size_t len, bool end)
{
    uint64_t f = spin_lock_irqsave(&console_lock);
    bool cont = open_line_owner == owner;
    size_t n = (cont ? 0 : (open_line_owner ? 2 : 0) + plen) + wire_len(s, len) + (end ? 2 : 0);
    int slot = async ? guest_slot(owner) : 0;
    bool fits = guest_fits(slot, n);
    uint32_t was = head;
    if (fits) {
        if (!cont) {
            end_open_line_locked();
            out_locked((unsigned int)slot, prefix, plen);
        }
        out_locked((unsigned int)slot, s, len);
        if (end)
            out_locked((unsigned int)slot, "\n", 1);
        open_line_owner = end ? 0 : owner;
        kick_locked(was);
    }
    spin_unlock_irqrestore(&console_lock, f);
    return fits;
}

/* Cloison's line (prefix + text + newline); lock held. The log ring keeps
 * it even when the transmit ring has no room for it. */
static void hv_line_locked(const char *prefix, size_t plen, const char *s, size_t len)
{
    bool nl = len == 0 || s[len - 1] != '\n';
    conring_put(prefix, plen);
    conring_put(s, len);
    if (nl)
        conring_put("\n", 1);
    size_t n = (open_line_owner ? 2 : 0) + plen + wire_len(s, len) + (nl ? 2 : 0);
    if (async && n > room()) {
        lost += n;
        return;
    }
    end_open_line_locked();
    out_locked(0, prefix, plen);
    out_locked(0, s, len);
    if (nl)
        out_locked(0, "\n", 1);
}

void vprintk(const char *fmt, va_list ap)
{
    char buf[512];
    static const char prefix[] = "(cloison) ";
    int n = vsnprintf(buf, sizeof(buf), fmt, ap);
    if (n < 0)
        return;
    size_t len = (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1;
    uint64_t f = spin_lock_irqsave(&console_lock);
    uint32_t added_from = head;
    if (lost) {
        char note[64];
        uint64_t was = lost;
        int m = snprintf(note, sizeof(note), "[%lu bytes of messages lost: console full]", was);
        lost = 0;
        hv_line_locked(prefix, sizeof(prefix) - 1, note, (size_t)m);
        if (lost) /* still no room: count the note's loss with the rest */
            lost += was;
    }
    hv_line_locked(prefix, sizeof(prefix) - 1, buf, len);
    kick_locked(added_from);
    spin_unlock_irqrestore(&console_lock, f);
}

void printk(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprintk(fmt, ap);
    va_end(ap);
}

void console_tx_start(void)
{
    uint64_t f = spin_lock_irqsave(&console_lock);
    async = true;
    spin_unlock_irqrestore(&console_lock, f);
}

void console_tx_interrupt(void)
{
    uint64_t f = spin_lock_irqsave(&console_lock);
    drain_locked(TX_BURST);
    if (tail == head && tx_irq_on) {
        uart_tx_irq(false);
        tx_irq_on = false;
    }
    spin_unlock_irqrestore(&console_lock, f);
}

/* Everything in the ring out now, waiting for the UART; lock held. */
static void drain_all_locked(void)
{
    while (tail != head)
        uart_putc(ring[tail++ % TX_RING_SIZE]);
    for (unsigned int i = 0; i <= TX_OWNERS; i++)
        slots[i].queued = 0;
    busy_slots = 0;
}

void printk_flush(void)
{
    uint64_t f = spin_lock_irqsave(&console_lock);
    drain_all_locked();
    spin_unlock_irqrestore(&console_lock, f);
}

void printk_panic(void)
{
    /* This CPU may hold the lock (or another CPU died holding it). */
    console_lock.owner = console_lock.next;
    drain_all_locked();
    async = false;
}

void guest_log(struct vcpu *v, const char *fmt, ...)
{
    struct domain *d = v->domain;
    unsigned int n = __atomic_fetch_add(&d->nr_logged, 1, __ATOMIC_RELAXED);
    if (n > GUEST_LOG_MAX)
        return;
    if (n == GUEST_LOG_MAX) {
        printk("d%uv%u: further messages about this domain suppressed", d->id, v->id);
        return;
    }
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    printk("d%uv%u: %s", d->id, v->id, buf);
}
