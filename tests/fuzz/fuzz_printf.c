/*
 * vsnprintf with a fuzzed format. Every argument slot holds the same valid
 * string pointer, which each conversion may read as an int, long or pointer
 * (all passed in 64-bit slots on the host ABI); inputs that could consume
 * more arguments than supplied are skipped. Checks: no memory error, the
 * result is NUL-terminated, the return value matches the untruncated length,
 * and truncated output is a prefix of the full one.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "lib_rename.h"

#define NARGS 16

static const char arg_str[] = "fuzz";

/* The format is the fuzz input, by design. */
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#pragma GCC diagnostic ignored "-Wformat-security"

static int fmt_call(char *buf, size_t size, const char *fmt)
{
    const char *a = arg_str;

    /* Each '%' or '*' consumes at most one argument, so NARGS bounds them all. */
    return lib_snprintf(buf, size, fmt, a, a, a, a, a, a, a, a, a, a, a, a, a, a, a, a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char full[1 << 21], part[64];
    char *fmt;
    size_t consumers = 0;
    int n, m;

    if (size > 4096)
        return 0;
    for (size_t i = 0; i < size; i++)
        consumers += data[i] == '%' || data[i] == '*';
    if (consumers > NARGS)
        return 0;
    fmt = malloc(size + 1);
    memcpy(fmt, data, size);
    fmt[size] = '\0';

    n = fmt_call(full, sizeof(full), fmt);
    m = fmt_call(part, sizeof(part), fmt);
    if (n < 0 || n != m)
        abort();
    if ((size_t)n < sizeof(full) && strlen(full) != (size_t)n)
        abort();
    if (strlen(part) != ((size_t)n < sizeof(part) ? (size_t)n : sizeof(part) - 1))
        abort();
    if ((size_t)n < sizeof(full) && strncmp(part, full, strlen(part)) != 0)
        abort();
    free(fmt);
    return 0;
}
