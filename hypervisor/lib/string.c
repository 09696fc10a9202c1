/*
 * Memory and string primitives for the freestanding tree (the hypervisor, and
 * libfdt linked into it).
 *
 * The memory functions move whole 64-bit words when source and destination
 * share their alignment, and bytes otherwise: the hypervisor builds with
 * -mstrict-align, so no access here may be unaligned. Word accesses go through
 * a may_alias type so the compiler cannot assume they do not alias the bytes.
 */
#include <stdint.h>
#include <string.h>

/*
 * GCC recognises copy and fill loops and replaces them by calls to memcpy and
 * memset, which inside memcpy and memset would recurse for ever. Clang already
 * skips that transformation in functions with these names.
 */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("no-tree-loop-distribute-patterns")
#endif

typedef uint64_t __attribute__((may_alias)) word_t;

#define WORD_SIZE sizeof(word_t)
#define WORD_MASK (WORD_SIZE - 1)

static inline int aligned(const void *p)
{
    return ((uintptr_t)p & WORD_MASK) == 0;
}

/*
 * Large copies (a domain's kernel and initrd, tens of MiB) move 64 bytes per
 * iteration: all eight loads before the stores, so the compiler pairs them
 * into LDP/STP and the loop's own compare and branch run once per 64 bytes,
 * not once per word (under an emulator's TCG the build's copy took 3x longer
 * one word at a time). Loading everything first also keeps the block right
 * for either copy direction when source and destination overlap.
 */
#define BLOCK_WORDS 8
#define BLOCK_SIZE (BLOCK_WORDS * WORD_SIZE)

static inline void copy_block(word_t *d, const word_t *s)
{
    word_t w0 = s[0], w1 = s[1], w2 = s[2], w3 = s[3];
    word_t w4 = s[4], w5 = s[5], w6 = s[6], w7 = s[7];

    d[0] = w0;
    d[1] = w1;
    d[2] = w2;
    d[3] = w3;
    d[4] = w4;
    d[5] = w5;
    d[6] = w6;
    d[7] = w7;
}

/* Copy from the bottom up; also right for destinations below an overlapping source. */
static void copy_forward(unsigned char *dc, const unsigned char *sc, size_t n)
{
    if ((((uintptr_t)dc ^ (uintptr_t)sc) & WORD_MASK) == 0) {
        while (n && !aligned(dc)) {
            *dc++ = *sc++;
            n--;
        }
        for (; n >= BLOCK_SIZE; n -= BLOCK_SIZE) {
            copy_block((word_t *)(void *)dc, (const word_t *)(const void *)sc);
            dc += BLOCK_SIZE;
            sc += BLOCK_SIZE;
        }
        for (; n >= WORD_SIZE; n -= WORD_SIZE) {
            *(word_t *)(void *)dc = *(const word_t *)(const void *)sc;
            dc += WORD_SIZE;
            sc += WORD_SIZE;
        }
    }
    while (n--)
        *dc++ = *sc++;
}

void *memcpy(void *restrict d, const void *restrict s, size_t n)
{
    copy_forward(d, s, n);
    return d;
}

/* Copy from the top down, for destinations above an overlapping source. */
static void copy_backward(unsigned char *dc, const unsigned char *sc, size_t n)
{
    dc += n;
    sc += n;
    if ((((uintptr_t)dc ^ (uintptr_t)sc) & WORD_MASK) == 0) {
        while (n && !aligned(dc)) {
            *--dc = *--sc;
            n--;
        }
        for (; n >= BLOCK_SIZE; n -= BLOCK_SIZE) {
            dc -= BLOCK_SIZE;
            sc -= BLOCK_SIZE;
            copy_block((word_t *)(void *)dc, (const word_t *)(const void *)sc);
        }
        for (; n >= WORD_SIZE; n -= WORD_SIZE) {
            dc -= WORD_SIZE;
            sc -= WORD_SIZE;
            *(word_t *)(void *)dc = *(const word_t *)(const void *)sc;
        }
    }
    while (n--)
        *--dc = *--sc;
}

void *memmove(void *d, const void *s, size_t n)
{
    uintptr_t dst = (uintptr_t)d, src = (uintptr_t)s;

    /* A forward copy is safe unless the destination starts inside the source. */
    if (dst - src >= n)
        copy_forward(d, s, n);
    else
        copy_backward(d, s, n);
    return d;
}

void *memset(void *d, int c, size_t n)
{
    unsigned char *dc = d;
    unsigned char byte = (unsigned char)c;
    word_t pattern = 0x0101010101010101ULL * byte;

    while (n && !aligned(dc)) {
        *dc++ = byte;
        n--;
    }
    for (; n >= WORD_SIZE; n -= WORD_SIZE) {
        *(word_t *)(void *)dc = pattern;
        dc += WORD_SIZE;
    }
    while (n--)
        *dc++ = byte;
    return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;

    for (; n; n--, x++, y++) {
        if (*x != *y)
            return *x < *y ? -1 : 1;
    }
    return 0;
}

void *memchr(const void *s, int c, size_t n)
{
    const unsigned char *p = s;

    for (; n; n--, p++) {
        if (*p == (unsigned char)c)
            return (void *)p;
    }
    return NULL;
}

size_t strlen(const char *s)
{
    const char *p = s;

    while (*p)
        p++;
    return (size_t)(p - s);
}

size_t strnlen(const char *s, size_t n)
{
    size_t i = 0;

    while (i < n && s[i])
        i++;
    return i;
}

int strcmp(const char *a, const char *b)
{
    const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;

    while (*x && *x == *y) {
        x++;
        y++;
    }
    return (*x > *y) - (*x < *y);
}

int strncmp(const char *a, const char *b, size_t n)
{
    const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;

    for (; n; n--, x++, y++) {
        if (*x != *y)
            return *x < *y ? -1 : 1;
        if (!*x)
            break;
    }
    return 0;
}

char *strchr(const char *s, int c)
{
    char ch = (char)c;

    for (;; s++) {
        if (*s == ch)
            return (char *)s;
        if (!*s)
            return NULL;
    }
}

char *strrchr(const char *s, int c)
{
    char ch = (char)c;
    const char *last = NULL;

    for (;; s++) {
        if (*s == ch)
            last = s;
        if (!*s)
            return (char *)last;
    }
}

/* BSD semantics: copy what fits, always terminate (n > 0), return strlen(s). */
size_t strlcpy(char *d, const char *s, size_t n)
{
    size_t len = strlen(s);

    if (n) {
        size_t copy = len < n ? len : n - 1;

        memcpy(d, s, copy);
        d[copy] = '\0';
    }
    return len;
}
