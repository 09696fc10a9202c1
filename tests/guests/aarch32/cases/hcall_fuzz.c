/*
 * hcall_fuzz (AArch32): tests/guests/cases/hcall_fuzz.c for a 32-bit domain,
 * with the same generator (hcall_fuzz_gen.h) in 32-bit registers: random
 * hypercall numbers, sub-commands and arguments through HVC #0xEA1/r12,
 * argument structures full of random bytes (the layouts are the 64-bit ones),
 * pointers that are random, unmapped, or into its own scratch area. The
 * hypervisor must answer every call and stay up. Fixed seed: a failure
 * reproduces. Random pointers never point into its own RAM outside the
 * scratch area (a 32-bit random value would, 1 time in 64, and the
 * hypervisor writing results there would only test this guest).
 */
#include "guest32.h"
#define TEST_RNG_SEED 0x5EED0F0FC10150ULL
#include "test_rng.h"

GUEST32_NAME("hcall_fuzz");

#ifndef CALLS
#define CALLS 20000
#endif
#define HF_SCRATCH 8192
#define AREA (4 << 20)
#define HF_WORD uint32_t
#define RAM_BASE 0x40000000u
#define RAM_END 0x44000000u

static uint64_t hf_scratch[AREA / 8] __attribute__((aligned(4096)));

/* Its MMU is off: an address is an IPA; below RAM, clear of the GIC and UART. */
static uint32_t hf_unmapped(void)
{
    return 0x10000000u;
}

static uint32_t hf_hole(void)
{
    return 0x90000000u; /* above RAM, no device */
}

static uint32_t hf_random(void)
{
    uint32_t p = (uint32_t)rnd();
    return p >= RAM_BASE && p < RAM_END ? p ^ 0x80000000u : p;
}

#include "hcall_fuzz_gen.h"

void test_main(void)
{
    unsigned int answered = 0, nosys = 0;

    for (unsigned int i = 0; i < CALLS; i++) {
        struct hf_call call;
        if (!hf_next(&call))
            continue;
        long rc = xen_hypercall(call.nr, call.c, call.a[0], call.a[1], call.a[2], call.a[3]);
        answered++;
        nosys += rc == -XEN_ENOSYS;
        if ((i + 1) % 5000 == 0)
            test_run("calls=%u", i + 1);
    }
    test_pass("calls=%u enosys=%u", answered, nosys);
}
