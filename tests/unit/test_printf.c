/* lib/printf.c against the host's snprintf, on every format it promises plus flags. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "harness.h"
#include "lib_rename.h"

/* Formats the same call with both implementations, buffer large and small. */
#define SAME(...)                                                                                 \
    do {                                                                                          \
        char mine[256], ref[256], small[6];                                                       \
        int n1 = lib_snprintf(mine, sizeof(mine), __VA_ARGS__);                                   \
        int n2 = snprintf(ref, sizeof(ref), __VA_ARGS__);                                         \
        int n3 = lib_snprintf(small, sizeof(small), __VA_ARGS__);                                 \
        if (n1 != n2 || strcmp(mine, ref) != 0)                                                   \
            HARNESS_FAIL("%s: \"%s\" (%d) != libc \"%s\" (%d)", #__VA_ARGS__, mine, n1, ref, n2); \
        else if (n3 != n2 || strncmp(small, ref, sizeof(small) - 1) != 0 ||                       \
                 strlen(small) != (n2 < 5 ? (size_t)n2 : 5u))                                     \
            HARNESS_FAIL("%s: truncated \"%s\" (%d)", #__VA_ARGS__, small, n3);                   \
    } while (0)

/* The integer test loops over format tables; both sides get the same table entry. */
#pragma GCC diagnostic ignored "-Wformat-nonliteral"

TEST(integers)
{
    static const long long vals[] = {0,
                                     1,
                                     -1,
                                     7,
                                     42,
                                     -42,
                                     255,
                                     256,
                                     65535,
                                     -32768,
                                     2147483647LL,
                                     -2147483647LL - 1,
                                     4294967295LL,
                                     9223372036854775807LL,
                                     -9223372036854775807LL - 1};
    static const char *const fmts[] = {
        "%d",    "%5d",     "%-5d|", "%05d",  "%+d",  "% d",    "%.3d",
        "%8.3d", "%-8.3d|", "%.0d",  "%+05d", "% 5d", "%-+6d|", "%08.3d",
    };
    static const char *const ufmts[] = {"%u",     "%x",   "%X",    "%o",    "%#x",   "%#X",
                                        "%#o",    "%08x", "%-8x|", "%.5x",  "%#.0o", "%#10x",
                                        "%#010x", "%.0x", "%#.3o", "%10.4u"};

    for (size_t i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
        int v = (int)vals[i];
        unsigned int u = (unsigned int)vals[i];

        for (size_t f = 0; f < sizeof(fmts) / sizeof(fmts[0]); f++)
            SAME(fmts[f], v);
        for (size_t f = 0; f < sizeof(ufmts) / sizeof(ufmts[0]); f++)
            SAME(ufmts[f], u);
        SAME("%lld %llu %llx", vals[i], (unsigned long long)vals[i], (unsigned long long)vals[i]);
        SAME("%ld %lu %lX", (long)vals[i], (unsigned long)vals[i], (unsigned long)vals[i]);
        SAME("%hd %hu %hx", (short)vals[i], (unsigned short)vals[i], (unsigned short)vals[i]);
        SAME("%hhd %hhu %hhx", (signed char)vals[i], (unsigned char)vals[i],
             (unsigned char)vals[i]);
        SAME("%zu %zx %td %jd %ju", (size_t)vals[i], (size_t)vals[i], (ptrdiff_t)vals[i],
             (intmax_t)vals[i], (uintmax_t)vals[i]);
        SAME("%i|%-20lli|%20lli", v, vals[i], vals[i]);
    }
}

TEST(strings_and_chars)
{
    SAME("%s", "hello");
    SAME("[%10s]", "hi");
    SAME("[%-10s]", "hi");
    SAME("[%.3s]", "abcdef");
    SAME("[%8.3s]", "abcdef");
    SAME("[%.0s]", "abc");
    SAME("[%.10s]", "abc");
    SAME("%c%c%c", 'a', 'b', 'c');
    SAME("[%5c][%-5c]", 'x', 'y');
    SAME("100%% %s", "done");
    SAME("%s=%d, %s=%#x", "a", 1, "b", 0xbeef);
    SAME("no conversions at all, but longer than the small buffer");
    SAME("%s", "");
}

TEST(star_width_and_precision)
{
    SAME("[%*d]", 6, 42);
    SAME("[%*d]", -6, 42);
    SAME("[%-*d]", 6, 42);
    SAME("[%.*d]", 4, 42);
    SAME("[%.*d]", -1, 42);
    SAME("[%*.*s]", 8, 2, "abcdef");
    SAME("[%*s]", -4, "ab");
}

TEST(pointer_is_fixed_width)
{
    char buf[64];

    CHECK_EQ(lib_snprintf(buf, sizeof(buf), "%p", (void *)0x1234), 18);
    CHECK_STR_EQ(buf, "0x0000000000001234");
    lib_snprintf(buf, sizeof(buf), "%p", (void *)(uintptr_t)0xffff800012345678ULL);
    CHECK_STR_EQ(buf, "0xffff800012345678");
    lib_snprintf(buf, sizeof(buf), "[%20p]", (void *)0);
    CHECK_STR_EQ(buf, "[  0x0000000000000000]");
}

static int wrap(char *buf, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int wrap(char *buf, size_t n, const char *fmt, ...)
{
    va_list ap;
    int r;

    va_start(ap, fmt);
    r = lib_vsnprintf(buf, n, fmt, ap);
    va_end(ap);
    return r;
}

TEST(truncation_and_nul)
{
    char buf[8];

    memset(buf, 'X', sizeof(buf));
    CHECK_EQ(wrap(buf, 4, "%d", 123456), 6);
    CHECK_STR_EQ(buf, "123");
    CHECK_EQ(buf[4], 'X'); /* nothing past size is written */
    buf[0] = 'Q';
    CHECK_EQ(wrap(buf, 0, "abc"), 3);
    CHECK_EQ(buf[0], 'Q');
    CHECK_EQ(wrap(NULL, 0, "%s%d", "ab", 5), 3);
    CHECK_EQ(wrap(buf, 1, "abc"), 3);
    CHECK_STR_EQ(buf, "");
}

/* Formats outside C's set: the conversion is echoed, and arguments stay in step. */
static int loose(char *buf, size_t n, const char *fmt, ...)
{
    va_list ap;
    int r;

    va_start(ap, fmt);
    r = lib_vsnprintf(buf, n, fmt, ap);
    va_end(ap);
    return r;
}

TEST(unknown_conversion_is_echoed)
{
    char buf[64];

    CHECK_EQ(loose(buf, sizeof(buf), "a%yb"), 4);
    CHECK_STR_EQ(buf, "a%yb");
    loose(buf, sizeof(buf), "%-5k|%d", 7);
    CHECK_STR_EQ(buf, "%-5k|7");
    loose(buf, sizeof(buf), "end%");
    CHECK_STR_EQ(buf, "end%");
    loose(buf, sizeof(buf), "%s", (const char *)NULL);
    CHECK_STR_EQ(buf, "(null)");
}
