/*
 * Minimal unit-test harness for host tests (header only).
 *
 *   TEST(name) { CHECK(x > 0); CHECK_EQ(f(2), 4); CHECK_STR_EQ(buf, "ok"); }
 *
 * Tests register themselves (constructor attribute) and run in file order
 * from the main() defined here. A failed check prints file:line and the
 * values, and the test goes on, so one run shows every failure. Each binary
 * ends with one line "== <binary>: P passed, F failed" (one test = one
 * count) that tests/unit/run.sh adds up; the exit status is 1 on failure.
 */
#ifndef TESTS_UNIT_HARNESS_H
#define TESTS_UNIT_HARNESS_H

#include <stdio.h>
#include <string.h>

struct harness_test {
    const char *name;
    void (*fn)(void);
    struct harness_test *next;
};

static struct harness_test *harness_head, **harness_tail = &harness_head;
static int harness_cur_failed;

static inline void harness_register(struct harness_test *t)
{
    *harness_tail = t;
    harness_tail = &t->next;
}

#define TEST(name)                                                            \
    static void test_##name(void);                                            \
    static struct harness_test harness_t_##name = {#name, test_##name, NULL}; \
    __attribute__((constructor)) static void harness_reg_##name(void)         \
    {                                                                         \
        harness_register(&harness_t_##name);                                  \
    }                                                                         \
    static void test_##name(void)

#define HARNESS_FAIL(...)                                 \
    do {                                                  \
        harness_cur_failed++;                             \
        fprintf(stderr, "  %s:%d: ", __FILE__, __LINE__); \
        fprintf(stderr, __VA_ARGS__);                     \
        fputc('\n', stderr);                              \
    } while (0)

#define CHECK(cond)                                  \
    do {                                             \
        if (!(cond))                                 \
            HARNESS_FAIL("CHECK(%s) failed", #cond); \
    } while (0)

/* Integers of any type (compared as long long after conversion; 128-bit not supported). */
#define CHECK_EQ(a, b)                                                                             \
    do {                                                                                           \
        long long harness_a = (long long)(a), harness_b = (long long)(b);                          \
        if (harness_a != harness_b)                                                                \
            HARNESS_FAIL("CHECK_EQ(%s, %s): %lld (%#llx) != %lld (%#llx)", #a, #b, harness_a,      \
                         (unsigned long long)harness_a, harness_b, (unsigned long long)harness_b); \
    } while (0)

#define CHECK_STR_EQ(a, b)                                                                        \
    do {                                                                                          \
        const char *harness_a = (a), *harness_b = (b);                                            \
        if (strcmp(harness_a, harness_b) != 0)                                                    \
            HARNESS_FAIL("CHECK_STR_EQ(%s, %s): \"%s\" != \"%s\"", #a, #b, harness_a, harness_b); \
    } while (0)

/* Stop the current test (e.g. before using a NULL pointer) after a failed check. */
#define REQUIRE(cond)                                  \
    do {                                               \
        if (!(cond)) {                                 \
            HARNESS_FAIL("REQUIRE(%s) failed", #cond); \
            return;                                    \
        }                                              \
    } while (0)

int main(int argc, char **argv)
{
    const char *self = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
    int passed = 0, failed = 0;

    for (struct harness_test *t = harness_head; t; t = t->next) {
        /* An argument selects tests by name, for debugging one. */
        if (argc > 1 && strcmp(argv[1], t->name) != 0)
            continue;
        harness_cur_failed = 0;
        t->fn();
        printf("%s %s\n", harness_cur_failed ? "FAIL" : "ok  ", t->name);
        fflush(stdout);
        if (harness_cur_failed)
            failed++;
        else
            passed++;
    }
    printf("== %s: %d passed, %d failed\n", self, passed, failed);
    return failed ? 1 : 0;
}

#endif
