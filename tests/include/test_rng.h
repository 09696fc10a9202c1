/*
 * The tests' pseudo-random numbers: Marsaglia's xorshift64, deterministic so
 * that a failure reproduces. One copy for the host unit tests and the
 * freestanding test guests alike (it needs only <stdint.h>).
 *
 *   #define TEST_RNG_SEED 0x2545F4914F6CDD1DULL   (any non-zero value)
 *   #include "test_rng.h"
 *   ... rnd() % n ...
 *
 * Each file picks its own seed, so each test keeps its own sequence. A guest
 * whose vCPUs draw at once gives each its own state instead:
 *
 *   #define TEST_RNG_STATE rng_state[this_cpu()]   (an lvalue, uint64_t)
 */
#ifndef TESTS_TEST_RNG_H
#define TESTS_TEST_RNG_H

#include <stdint.h>

#ifndef TEST_RNG_STATE
#ifndef TEST_RNG_SEED
#error "define TEST_RNG_SEED (non-zero) before including test_rng.h"
#endif
static uint64_t test_rng_state = TEST_RNG_SEED;
#define TEST_RNG_STATE test_rng_state
#endif

/* The next number of the sequence (never 0 from a non-zero seed). */
static inline uint64_t rnd(void)
{
    TEST_RNG_STATE ^= TEST_RNG_STATE << 13;
    TEST_RNG_STATE ^= TEST_RNG_STATE >> 7;
    TEST_RNG_STATE ^= TEST_RNG_STATE << 17;
    return TEST_RNG_STATE;
}

#endif
