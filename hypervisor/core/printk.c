/* printk: formatted hypervisor messages, one whole line at a time. */
#include <cloison/printk.h>
#include <cloison/spinlock.h>
#include <cloison/uart.h>
#include <lib/printf.h>

static spinlock_t console_lock = SPINLOCK_INIT;

static void puts_locked(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\n')
            uart_putc('\r');
        uart_putc(s[i]);
    }
}

void console_puts_raw(const char *s, size_t len)
{
    uint64_t f = spin_lock_irqsave(&console_lock);
    puts_locked(s, len);
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
