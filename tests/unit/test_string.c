/* lib/string.c and lib/strtoul.c against the host libc, over sizes and alignments. */
#define _POSIX_C_SOURCE 200809L /* strnlen */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include "lib_rename.h"

#define BUF 400 /* room for several 64-byte blocks of the copy loops */

static void fill(unsigned char *p, size_t n, unsigned int seed)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (unsigned char)(seed * 131 + i * 7 + 1);
}

TEST(memcpy_all_alignments)
{
    unsigned char src[BUF], dst[BUF], ref[BUF];

    for (size_t sa = 0; sa < 9; sa++)
        for (size_t da = 0; da < 9; da++)
            for (size_t n = 0; n < 200; n++) {
                fill(src, BUF, (unsigned)n);
                memset(dst, 0xAA, BUF);
                memset(ref, 0xAA, BUF);
                memcpy(ref + da, src + sa, n);
                CHECK(lib_memcpy(dst + da, src + sa, n) == dst + da);
                if (memcmp(dst, ref, BUF) != 0) {
                    HARNESS_FAIL("memcpy sa=%zu da=%zu n=%zu", sa, da, n);
                    return;
                }
            }
}

TEST(memmove_overlaps_both_ways)
{
    unsigned char buf[BUF], ref[BUF];

    /* Distances below, at and beyond the 64-byte block, both directions. */
    for (size_t s = 0; s < 72; s++)
        for (size_t d = 0; d < 72; d++)
            for (size_t n = 0; n < 320; n += 7) {
                fill(buf, BUF, (unsigned)(s + d));
                memcpy(ref, buf, BUF);
                memmove(ref + d, ref + s, n);
                CHECK(lib_memmove(buf + d, buf + s, n) == buf + d);
                if (memcmp(buf, ref, BUF) != 0) {
                    HARNESS_FAIL("memmove s=%zu d=%zu n=%zu", s, d, n);
                    return;
                }
            }
}

TEST(memset_all_alignments)
{
    unsigned char buf[BUF], ref[BUF];

    for (size_t a = 0; a < 9; a++)
        for (size_t n = 0; n < 80; n++) {
            memset(buf, 0x11, BUF);
            memset(ref, 0x11, BUF);
            memset(ref + a, 0x1FE, n); /* only the low byte counts */
            CHECK(lib_memset(buf + a, 0x1FE, n) == buf + a);
            if (memcmp(buf, ref, BUF) != 0) {
                HARNESS_FAIL("memset a=%zu n=%zu", a, n);
                return;
            }
        }
}

static int sign(int v)
{
    return (v > 0) - (v < 0);
}

TEST(memcmp_memchr)
{
    unsigned char a[32], b[32];

    fill(a, sizeof(a), 3);
    memcpy(b, a, sizeof(b));
    CHECK_EQ(lib_memcmp(a, b, sizeof(a)), 0);
    CHECK_EQ(lib_memcmp(a, b, 0), 0);
    b[20] = 0xFF;
    a[20] = 0x01;
    CHECK_EQ(sign(lib_memcmp(a, b, 32)), -1); /* bytes compare unsigned */
    CHECK_EQ(sign(lib_memcmp(b, a, 32)), 1);
    CHECK_EQ(lib_memcmp(a, b, 20), 0);
    CHECK(lib_memchr(a, a[7], 32) == memchr(a, a[7], 32));
    CHECK(lib_memchr(a, 0x100 | a[9], 32) == memchr(a, 0x100 | a[9], 32)); /* c is cast to uchar */
    CHECK(lib_memchr(a, a[7], 7) == memchr(a, a[7], 7));
    CHECK(lib_memchr(a, a[0], 0) == NULL);
}

TEST(string_functions_match_libc)
{
    static const char *const strs[] = {"",     "a", "ab", "abc", "abd", "abcdefghijklmnop",
                                       "\xff", "b"};
    const size_t n = sizeof(strs) / sizeof(strs[0]);

    for (size_t i = 0; i < n; i++) {
        const char *s = strs[i];

        CHECK_EQ(lib_strlen(s), strlen(s));
        for (size_t k = 0; k < 6; k++)
            CHECK_EQ(lib_strnlen(s, k), strnlen(s, k));
        for (size_t j = 0; j < n; j++) {
            CHECK_EQ(sign(lib_strcmp(s, strs[j])), sign(strcmp(s, strs[j])));
            for (size_t k = 0; k < 5; k++)
                CHECK_EQ(sign(lib_strncmp(s, strs[j], k)), sign(strncmp(s, strs[j], k)));
        }
        for (int c = 0; c < 256; c += 1) {
            CHECK(lib_strchr(s, c) == strchr(s, c));
            CHECK(lib_strrchr(s, c) == strrchr(s, c));
        }
    }
    CHECK_STR_EQ(lib_strrchr("a/b/c", '/'), "/c");
}

TEST(strlcpy_truncates_and_terminates)
{
    char d[8];

    memset(d, 'X', sizeof(d));
    CHECK_EQ(lib_strlcpy(d, "hello world", sizeof(d)), 11);
    CHECK_STR_EQ(d, "hello w");
    CHECK_EQ(lib_strlcpy(d, "hi", sizeof(d)), 2);
    CHECK_STR_EQ(d, "hi");
    d[0] = 'Q';
    CHECK_EQ(lib_strlcpy(d, "abc", 0), 3);
    CHECK_EQ(d[0], 'Q'); /* size 0 writes nothing */
    CHECK_EQ(lib_strlcpy(d, "abc", 1), 3);
    CHECK_STR_EQ(d, "");
}

TEST(strtoul_matches_libc)
{
    static const char *const in[] = {
        "0",
        "12345",
        "  42xyz",
        "-1",
        "+7",
        "0x1f",
        "0X1F",
        "0x",
        "0xg",
        "017",
        "08",
        "z",
        "",
        "   ",
        "18446744073709551615",
        "18446744073709551616",
        "-18446744073709551616",
        "99999999999999999999999",
        "ffffffffffffffff",
        "10000000000000000",
        "\t\n 0777",
        "1010",
        "zz",
        "-0x10",
        "0x0",
        "00",
    };
    static const int bases[] = {0, 2, 8, 10, 16, 36};

    for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++)
        for (size_t b = 0; b < sizeof(bases) / sizeof(bases[0]); b++) {
            char *e1, *e2;
            unsigned long v1 = lib_strtoul(in[i], &e1, bases[b]);
            unsigned long v2 = strtoul(in[i], &e2, bases[b]);

            if (v1 != v2 || e1 != e2)
                HARNESS_FAIL("strtoul(\"%s\", %d): %lu end+%td, libc %lu end+%td", in[i], bases[b],
                             v1, e1 - in[i], v2, e2 - in[i]);
        }
    CHECK_EQ(lib_strtoull("123", NULL, 10), 123);
    CHECK_EQ(lib_strtoul("123", NULL, 1), 0); /* bad base */
}
