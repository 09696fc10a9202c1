/* printk: formatted hypervisor messages, one whole line at a time. */
#include <core/domain.h>
#include <cloison/printk.h>
#include <core/vcpu.h>
#include <cloison/spinlock.h>
#include <drivers/uart.h>
#include <lib/printf.h>

static spinlock_t console_lock = SPINLOCK_INIT;
/* Domain whose partial line is on the UART without its newline (0: none):
 * anything else printed first ends that line (console/console.c). */
static unsigned int open_line_owner;

static void puts_locked(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\n')
            uart_putc('\r');
        uart_putc(s[i]);
    }
}

static void end_open_line_locked(void)
{
    if (open_line_owner) {
        puts_locked("\n", 1);
        open_line_owner = 0;
    }
}

void console_puts_raw(const char *s, size_t len)
{
    uint64_t f = spin_lock_irqsave(&console_lock);
    end_open_line_locked();
    puts_locked(s, len);
    spin_unlock_irqrestore(&console_lock, f);
}

void console_puts_line_part(unsigned int owner, const char *prefix, size_t plen, const char *s,
                            size_t len, bool end)
{
    uint64_t f = spin_lock_irqsave(&console_lock);
    if (open_line_owner != owner) {
        end_open_line_locked();
        puts_locked(prefix, plen);
    }
    puts_locked(s, len);
    if (end)
        puts_locked("\n", 1);
    open_line_owner = end ? 0 : owner;
    spin_unlock_irqrestore(&console_lock, f);
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
    end_open_line_locked();
    puts_locked(prefix, sizeof(prefix) - 1);
    puts_locked(buf, len);
    if (len == 0 || buf[len - 1] != '\n')
        puts_locked("\n", 1);
    spin_unlock_irqrestore(&console_lock, f);
}

void printk(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprintk(fmt, ap);
    va_end(ap);
}

void printk_force_unlock(void)
{
    console_lock.owner = console_lock.next;
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
