/*
 * Verdict lines, shared by the 64-bit guests (tests/guests/lib) and the
 * AArch32 ones (tests/guests/aarch32/lib): "TEST <case> PASS|FAIL|RUN ...",
 * the lines tests/integration reads. report.c needs from each library only
 * console_write() and domain_poweroff().
 */
#ifndef GUEST_REPORT_H
#define GUEST_REPORT_H

#include <stddef.h>

extern const char test_name[];
/* Each library's console: one call writes one whole line. */
void console_write(const char *s, size_t len);
/* Each library's end of the domain (SCHEDOP_shutdown poweroff). */
void domain_poweroff(void) __attribute__((noreturn));

/* "TEST <case> PASS <fmt...>" then power off the domain. */
void test_pass(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
void test_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
/* "TEST <case> RUN <fmt...>": progress, not a verdict. */
void test_run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
