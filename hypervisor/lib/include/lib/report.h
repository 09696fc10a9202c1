/*
 * Messages from the boot-input parsers (dom0less, bootargs, the memory
 * layout, the GIC's frames) to whoever asked for them: each parser takes a
 * report callback, so the same code prints at boot and stays quiet (or
 * collects) in host tests and fuzzers.
 */
#ifndef LIB_REPORT_H
#define LIB_REPORT_H

#include <stdarg.h>

/* The longest message handed to a report callback, NUL included. */
#define REPORT_MSG_LEN 320

/* report("<who>: <where>: <text>") with where left out when NULL; nothing
 * when report is NULL. The message is cut at REPORT_MSG_LEN. */
void report_v(void (*report)(const char *msg), const char *who, const char *where, const char *fmt,
              va_list ap) __attribute__((format(printf, 4, 0)));

#endif
