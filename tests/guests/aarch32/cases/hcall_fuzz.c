/*
 * hcall_fuzz (AArch32): the hostile hypercall guest of tests/guests/cases/hcall_fuzz.c
 * for a 32-bit domain: random hypercall numbers, sub-commands and 32-bit
 * arguments through HVC #0xEA1/r12, argument structures full of random bytes
 * (the layouts are the 64-bit ones), pointers that are random, unmapped, or
 * into its own scratch area. The hypervisor must answer every call and stay up.
 * Fixed seed: a failure reproduces. Left out as there: SCHEDOP_shutdown/block/
 * poll, VCPUOP_down, console_io writes. Random pointers never point into its
 * own RAM outside the scratch area (a 32-bit random value would, 1 time in 64,
 * and the hypervisor writing results there would only test this guest).
 */
#include "guest32.h"

GUEST32_NAME("hcall_fuzz");

#ifndef CALLS
#define CALLS 20000
#endif
#define SCRATCH 8192
#define AREA (4 << 20)
#define RAM_BASE 0x40000000u
#define RAM_END 0x44000000u
#define HOLE 0x10000000u /* no memory, no device */

#define HC_memory_op 12
#define HC_multicall 13
#define HC_sched_op_compat 6
#define HC_platform_op 7
#define HC_console_io 18
#define HC_grant_table_op 20
#define HC_vm_assist 21
#define HC_vcpu_op 24
#define HC_sched_op 29
#define HC_event_channel_op 32
#define HC_physdev_op 33
#define HC_hvm_op 34
#define SCHEDOP_block 1
#define SCHEDOP_poll 3
#define VCPUOP_down 2

static uint64_t scratch[AREA / 8] __attribute__((aligned(4096)));
static uint64_t rng = 0x5EED0F0FC10150ULL;

static uint32_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng >> 16);
}

static uint64_t rnd64(void)
{
    return ((uint64_t)rnd() << 32) | rnd();
}

static uint32_t interesting(void)
{
    static const uint32_t v[] = {
        0,      1,      2,      3,      7,      8,      15,         16,         31,        32,
        63,     64,     255,    256,    1023,   1024,   4095,       4096,       4097,      65535,
        0x7FEF, 0x7FF0, 0x7FF1, 0x7FFF, 0x8000, 0xFFFF, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF};
    return v[rnd() % (sizeof(v) / sizeof(v[0]))];
}

static uint32_t pointer(void)
{
    uint32_t p;
    switch (rnd() % 5) {
    case 0:
        return HOLE + rnd() % 4096;
    case 1:
        p = rnd();
        /* Inside its RAM only through the scratch area (see above). */
        return p >= RAM_BASE && p < RAM_END ? p ^ 0x80000000u : p;
    default: /* inside (or straddling the end of) the scratch page */
        return (uint32_t)scratch + rnd() % SCRATCH;
    }
}

static uint32_t arg(void)
{
    switch (rnd() % 4) {
    case 0:
        return interesting();
    case 1: {
        uint32_t p = rnd();
        return p >= RAM_BASE && p < RAM_END ? p ^ 0x80000000u : p;
    }
    default:
        return pointer();
    }
}

static void fill_scratch(void)
{
    for (unsigned int i = 0; i < SCRATCH / 8; i++) {
        unsigned int kind = rnd() % 8;
        scratch[i] = kind == 0 ? interesting() : kind == 1 ? pointer() : rnd64();
    }
}

static bool harmful(uint32_t nr, uint32_t c)
{
    if (nr == HC_sched_op)
        return c == SCHEDOP_shutdown || c == SCHEDOP_block || c == SCHEDOP_poll;
    if (nr == HC_sched_op_compat)
        return true;
    if (nr == HC_vcpu_op)
        return c == VCPUOP_down;
    if (nr == HC_console_io)
        return c == CONSOLEIO_write;
    return false;
}

void test_main(void)
{
    static const struct {
        uint32_t nr, cmds;
    } calls[] = {
        {HC_memory_op, 32}, {HC_event_channel_op, 16}, {HC_grant_table_op, 16},
        {HC_vcpu_op, 16},   {HC_sched_op, 8},          {HC_hvm_op, 8},
        {17, 16},           {HC_physdev_op, 32},       {HC_platform_op, 64},
        {HC_vm_assist, 4},  {HC_console_io, 4},        {HC_multicall, 4},
    };
    unsigned int answered = 0, nosys = 0;

    for (unsigned int i = 0; i < CALLS; i++) {
        uint32_t nr, c;
        if (rnd() % 16 == 0) {
            nr = rnd() % 64;
            c = arg();
        } else {
            unsigned int k = rnd() % (sizeof(calls) / sizeof(calls[0]));
            nr = calls[k].nr;
            c = rnd() % 8 == 0 ? arg() : rnd() % calls[k].cmds;
        }
        if (harmful(nr, c))
            continue;
        fill_scratch();
        uint32_t a0 = arg(), a1 = arg(), a2 = arg(), a3 = arg();
        if (nr == HC_grant_table_op)
            a1 %= 65536;
        if (nr == HC_multicall)
            a0 %= 256;
        long rc = xen_hypercall(nr, c, a0, a1, a2, a3);
        answered++;
        nosys += rc == -XEN_ENOSYS;
        if ((i + 1) % 5000 == 0)
            gprintf("TEST %s RUN calls=%u\n", test_name, i + 1);
    }
    test_pass("calls=%u enosys=%u", answered, nosys);
}
