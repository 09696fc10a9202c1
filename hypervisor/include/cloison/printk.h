/* Hypervisor console output. Every line Cloison prints starts with "(cloison) "
 * except guest console lines, which start with "(d<id>) ". */
#ifndef CLOISON_PRINTK_H
#define CLOISON_PRINTK_H

#include <cloison/types.h>
#include <stdarg.h>

void printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void vprintk(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
/* Part of guest `owner`'s (non-zero) line: the prefix goes first unless this
 * continues owner's own unterminated line; `end` adds the newline. Any other
 * output first ends an unterminated line. All of it or nothing: false when
 * the console has no room for it now (the caller counts it as dropped). */
bool console_puts_line_part(unsigned int owner, const char *prefix, size_t plen, const char *s,
                            size_t len, bool end);
/* This CPU panics: break the console lock if it was held, send what waits,
 * and from now on write straight to the UART, waiting for it. */
void printk_panic(void);
/* Send everything that waits, waiting for the UART (before powering off). */
void printk_flush(void);
struct vcpu;
/* A line about something a guest did, prefixed "d<id>v<n>: "; at most
 * GUEST_LOG_MAX per domain so a hostile guest cannot flood the console. */
#define GUEST_LOG_MAX 16
void guest_log(struct vcpu *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
__noreturn void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
