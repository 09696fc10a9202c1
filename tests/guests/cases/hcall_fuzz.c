/*
 * hcall_fuzz: a Xen-enhanced domU throwing random hypercalls at the
 * hypervisor: random numbers, sub-commands and arguments, argument structures
 * full of random bytes, pointers that are random, unmapped, a stage-2 hole or
 * into its own scratch page. The hypervisor must answer every one (any return
 * value is fine) and stay up; the test beside it checks another domain keeps
 * running and no memory leaks. Fixed seed: a failure reproduces.
 *
 * Left out, because they would stop this guest rather than test anything:
 * SCHEDOP_shutdown/block/poll (it would end or sleep forever), VCPUOP_down,
 * and console_io writes (random bytes on the console).
 */
#include <public/sched.h>
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
/* Pointers go into the first SCRATCH bytes of a larger area: an array of up
 * to 65535 elements starting there (the largest count used) stays inside it,
 * so the hypervisor writing results never reaches the guest's own code and
 * stack. That would only test the guest. */
#define SCRATCH 8192
#define AREA (4 << 20)

static uint64_t scratch[AREA / 8] __attribute__((aligned(4096)));

/* Values hypercall handlers look at closely: small numbers, boundaries, ids. */
static uint64_t interesting(void)
{
    static const uint64_t v[] = {
        0,          1,          2,      3,         7,          8,         15,         16,
        31,         32,         63,     64,        255,        256,       1023,       1024,
        4095,       4096,       4097,   65535,     0x7FEF,     0x7FF0,    0x7FF1,     0x7FF2,
        0x7FFF,     0x8000,     0xFFFF, 0x40000,   0x3FFFF,    0x39000,   0x7FFFFFFF, 0x80000000,
        0xFFFFFFFF, 1ULL << 32, ~0ULL,  ~0ULL - 1, 1ULL << 63, 1ULL << 52};
    return v[rnd() % (sizeof(v) / sizeof(v[0]))];
}

static uint64_t pointer(void)
{
    switch (rnd() % 6) {
    case 0:
        return GUEST_UNMAPPED_VA + (rnd() % 4096);
    case 1:
        return GUEST_HOLE_IPA + (rnd() % 4096);
    case 2:
        return rnd();
    default: /* inside (or straddling the end of) the scratch page */
        return (uintptr_t)scratch + (rnd() % SCRATCH);
    }
}

static uint64_t arg(void)
{
    switch (rnd() % 4) {
    case 0:
        return interesting();
    case 1:
        return rnd();
    default:
        return pointer();
    }
}

/* Random structure contents, with some words set to interesting values or to
 * pointers back into the scratch page (handles inside arguments). */
static void fill_scratch(void)
{
    for (unsigned int i = 0; i < SCRATCH / 8; i++) {
        unsigned int kind = (unsigned int)(rnd() % 8);
        scratch[i] = kind == 0 ? interesting() : kind == 1 ? pointer() : rnd();
    }
}

/* A sub-command, mostly within the range the hypercall knows. */
static uint64_t cmd(unsigned int range)
{
    return rnd() % 8 == 0 ? arg() : rnd() % range;
}

/* Sub-commands are ints on Xen: only the low 32 bits count. */
static bool harmful(uint64_t nr, uint64_t c64)
{
    uint32_t c = (uint32_t)c64;
    if (nr == __HYPERVISOR_sched_op)
        return c == SCHEDOP_shutdown || c == SCHEDOP_block || c == SCHEDOP_poll;
    if (nr == __HYPERVISOR_sched_op_compat)
        return true; /* its block and shutdown as well */
    if (nr == __HYPERVISOR_vcpu_op)
        return c == VCPUOP_down;
    if (nr == __HYPERVISOR_console_io)
        return c == CONSOLEIO_write;
    return false;
}

void test_main(void)
{
    static const struct {
        uint64_t nr;
        unsigned int cmds;
    } calls[] = {
        {__HYPERVISOR_memory_op, 32},      {__HYPERVISOR_event_channel_op, 16},
        {__HYPERVISOR_grant_table_op, 16}, {__HYPERVISOR_vcpu_op, 16},
        {__HYPERVISOR_sched_op, 8},        {__HYPERVISOR_hvm_op, 8},
        {__HYPERVISOR_xen_version, 16},    {__HYPERVISOR_physdev_op, 32},
        {__HYPERVISOR_platform_op, 64},    {__HYPERVISOR_vm_assist, 4},
        {__HYPERVISOR_console_io, 4},      {__HYPERVISOR_multicall, 4},
    };
    unsigned long per_nr[64] = {0};
    irq_disable(); /* upcalls from channels it binds by chance stay pending */
    for (unsigned int i = 0; i < CALLS; i++) {
        uint64_t nr, c;
        if (rnd() % 16 == 0) {
            nr = rnd() % 64; /* anything, known or not */
            c = arg();
        } else {
            unsigned int k = (unsigned int)(rnd() % (sizeof(calls) / sizeof(calls[0])));
            nr = calls[k].nr;
            c = cmd(calls[k].cmds);
        }
        if (harmful(nr, c))
            continue;
        /* Upper bits of a memory_op command carry a continuation's start. */
        if (nr == __HYPERVISOR_memory_op && rnd() % 4 == 0)
            c |= (rnd() % 70000) << MEMOP_EXTENT_SHIFT;
        fill_scratch();
        uint64_t a0 = arg(), a1 = arg(), a2 = arg(), a3 = arg();
        if (nr == __HYPERVISOR_grant_table_op)
            a1 %= 65536; /* the array count: see AREA */
        /* multicall's count: 64-byte entries, each result written back, so a
         * list from the scratch page must end inside AREA; and each entry is a
         * whole hypercall, so a few hundred keep the run's length. */
        if (nr == __HYPERVISOR_multicall)
            a0 %= 256;
        if (i >= LOG_FROM)
            test_run("i=%u nr=%llu c=0x%llx a=%llx %llx %llx %llx", i, (unsigned long long)nr,
                     (unsigned long long)c, (unsigned long long)a0, (unsigned long long)a1,
                     (unsigned long long)a2, (unsigned long long)a3);
        xen_hypercall(nr, c, a0, a1, a2, a3);
        per_nr[nr % 64]++;
        if ((i + 1) % 10000 == 0)
            test_run("calls=%u", i + 1);
    }
    test_pass("calls=%d memory_op=%lu event_channel_op=%lu grant_table_op=%lu vcpu_op=%lu", CALLS,
              per_nr[__HYPERVISOR_memory_op], per_nr[__HYPERVISOR_event_channel_op],
              per_nr[__HYPERVISOR_grant_table_op], per_nr[__HYPERVISOR_vcpu_op]);
}
