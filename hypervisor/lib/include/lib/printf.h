/*
 * Freestanding formatted output, shared by the hypervisor and the test guests.
 * Supports %d %i %u %x %X %o %c %s %p %% with flags '-' '0', width, precision
 * for %s, and the length modifiers hh h l ll z t j. %p prints 0x + 16 hex digits.
 * Always NUL-terminates when size > 0; returns the length that would have been
 * written (like C99 snprintf).
 */
#ifndef LIB_PRINTF_H
#define LIB_PRINTF_H

#include <stdarg.h>
#include <stddef.h>

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
int snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
