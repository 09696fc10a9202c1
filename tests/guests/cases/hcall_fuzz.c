/*
 * hcall_fuzz: a Xen-enhanced domU throwing random hypercalls at the
 * hypervisor: random numbers, sub-commands and arguments, argument structures
 * full of random bytes, pointers that are random, unmapped, a stage-2 hole or
 * into its own scratch page (the generator, hcall_fuzz_gen.h, is shared with
 * the AArch32 twin). The hypervisor must answer every one (any return value
 * is fine) and stay up; the test beside it checks another domain keeps
 * running and no memory leaks. Fixed seed: a failure reproduces.
 */
#include "xen_guest.h"
#define TEST_RNG_SEED 0x5EED0F0FC10150ULL
#include "test_rng.h"

const char test_name[] = "hcall_fuzz";

#define CALLS 40000
/* Build with -DLOG_FROM=<n> to print every call from the n-th on (to find the
 * one that fails). */
#ifndef LOG_FROM
#define LOG_FROM ~0u
#endif
/* Pointers go into the first HF_SCRATCH bytes of a larger area: an array of
 * up to 65535 elements starting there (the largest count used) stays inside
 * it, so the hypervisor writing results never reaches the guest's own code
 * and stack. That would only test the guest. */
#define HF_SCRATCH 8192
#define AREA (4 << 20)
#define HF_WORD uint64_t

static uint64_t hf_scratch[AREA / 8] __attribute__((aligned(4096)));

static uint64_t hf_unmapped(void)
{
    return GUEST_UNMAPPED_VA;
}

static uint64_t hf_hole(void)
{
    return GUEST_HOLE_IPA;
}

/* Its RAM is mapped at its own VA range, far from where 64 random bits land. */
static uint64_t hf_random(void)
{
    return rnd();
}

#include "hcall_fuzz_gen.h"

void test_main(void)
{
    unsigned long per_nr[64] = {0};
    irq_disable(); /* upcalls from channels it binds by chance stay pending */
    for (unsigned int i = 0; i < CALLS; i++) {
        struct hf_call call;
        if (!hf_next(&call))
            continue;
        if (i >= LOG_FROM)
            test_run("i=%u nr=%llu c=0x%llx a=%llx %llx %llx %llx", i, (unsigned long long)call.nr,
                     (unsigned long long)call.c, (unsigned long long)call.a[0],
                     (unsigned long long)call.a[1], (unsigned long long)call.a[2],
                     (unsigned long long)call.a[3]);
        xen_hypercall(call.nr, call.c, call.a[0], call.a[1], call.a[2], call.a[3]);
        per_nr[call.nr % 64]++;
        if ((i + 1) % 10000 == 0)
            test_run("calls=%u", i + 1);
    }
    test_pass("calls=%d memory_op=%lu event_channel_op=%lu grant_table_op=%lu vcpu_op=%lu", CALLS,
              per_nr[__HYPERVISOR_memory_op], per_nr[__HYPERVISOR_event_channel_op],
              per_nr[__HYPERVISOR_grant_table_op], per_nr[__HYPERVISOR_vcpu_op]);
}
