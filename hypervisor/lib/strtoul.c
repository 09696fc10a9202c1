/*
 * strtoul/strtoull with C semantics minus errno (there is none here): leading
 * space, optional sign (a '-' negates in the unsigned type, as C says), base 0
 * picks 8/10/16 from the prefix, overflow saturates to the type's maximum.
 * libfdt uses strtoul to parse unit addresses in node names.
 */
#include <limits.h>
#include <stdlib.h>

static int digit_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'Z')
        return c - 'A' + 10;
    return 99;
}

static int is_space(char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

unsigned long long strtoull(const char *s, char **end, int base)
{
    const char *p = s;
    unsigned long long val = 0;
    int neg = 0, overflow = 0, any = 0;

    if (base < 0 || base == 1 || base > 36) {
        if (end)
            *end = (char *)s;
        return 0;
    }
    while (is_space(*p))
        p++;
    if (*p == '+' || *p == '-')
        neg = *p++ == '-';
    /* "0x" counts as a prefix only when a hex digit follows; else it is just "0". */
    if ((base == 0 || base == 16) && p[0] == '0' && (p[1] == 'x' || p[1] == 'X') &&
        digit_value(p[2]) < 16) {
        p += 2;
        base = 16;
    } else if (base == 0) {
        base = p[0] == '0' ? 8 : 10;
    }
    for (;; p++) {
        int d = digit_value(*p);

        if (d >= base)
            break;
        any = 1;
        if (val > (ULLONG_MAX - (unsigned)d) / (unsigned)base)
            overflow = 1;
        else
            val = val * (unsigned)base + (unsigned)d;
    }
    if (end)
        *end = (char *)(any ? p : s);
    if (overflow)
        return ULLONG_MAX;
    return neg ? -val : val;
}

/* Both targets (AArch64, x86-64 hosts) are LP64, so one body serves both. */
_Static_assert(ULONG_MAX == ULLONG_MAX, "strtoul assumes LP64");

unsigned long strtoul(const char *s, char **end, int base)
{
    return strtoull(s, end, base);
}
