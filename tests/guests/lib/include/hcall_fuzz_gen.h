/*
 * The hostile hypercall generator shared by the 64-bit hcall_fuzz guest
 * (tests/guests/cases) and its AArch32 twin (tests/guests/aarch32/cases): the
 * same choice of hypercall numbers, sub-commands, arguments and argument
 * structures, in registers of either width. One copy of the logic; each guest
 * gives what differs between the two address spaces.
 *
 * Before including, a guest defines:
 *   HF_WORD            its register type (uint64_t or uint32_t)
 *   HF_SCRATCH         bytes of hf_scratch[] that pointers go into; the
 *                      array itself is larger (see hcall_fuzz.c's AREA)
 *   hf_scratch[]       uint64_t, 4 KiB aligned
 *   HF_WORD hf_unmapped(void)    an address it does not map (or a hole)
 *   HF_WORD hf_hole(void)        an IPA with no memory or device behind it
 *   HF_WORD hf_random(void)      a random word that is not a pointer into
 *                                its own memory outside hf_scratch
 * and includes test_rng.h (rnd()).
 *
 * Left out, because they would stop the guest rather than test anything:
 * SCHEDOP_shutdown/block/poll (it would end or sleep forever), VCPUOP_down,
 * and console_io writes (random bytes on the console).
 */
#ifndef HCALL_FUZZ_GEN_H
#define HCALL_FUZZ_GEN_H

#include <stdbool.h>
#include <stdint.h>

/* Xen's hypercall and sub-command numbers (include/public/xen.h: hypercalls and
 * console_io; sched.h, vcpu.h, memory.h): spelled here for both guest builds. */
#define HF_sched_op_compat 6
#define HF_platform_op 7
#define HF_memory_op 12
#define HF_multicall 13
#define HF_xen_version 17
#define HF_console_io 18
#define HF_grant_table_op 20
#define HF_vm_assist 21
#define HF_vcpu_op 24
#define HF_sched_op 29
#define HF_event_channel_op 32
#define HF_physdev_op 33
#define HF_hvm_op 34
#define HF_SCHEDOP_block 1
#define HF_SCHEDOP_shutdown 2
#define HF_SCHEDOP_poll 3
#define HF_VCPUOP_down 2
#define HF_CONSOLEIO_write 0
#define HF_MEMOP_EXTENT_SHIFT 6

/* One call: number, sub-command, four arguments. */
struct hf_call {
    HF_WORD nr, c, a[4];
};

/* Values hypercall handlers look at closely: small numbers, boundaries, ids;
 * a 32-bit guest sees their low halves. */
static inline HF_WORD hf_interesting(void)
{
    static const uint64_t v[] = {
        0,          1,          2,      3,         7,          8,         15,         16,
        31,         32,         63,     64,        255,        256,       1023,       1024,
        4095,       4096,       4097,   65535,     0x7FEF,     0x7FF0,    0x7FF1,     0x7FF2,
        0x7FFF,     0x8000,     0xFFFF, 0x40000,   0x3FFFF,    0x39000,   0x7FFFFFFF, 0x80000000,
        0xFFFFFFFF, 1ULL << 32, ~0ULL,  ~0ULL - 1, 1ULL << 63, 1ULL << 52};
    return (HF_WORD)v[rnd() % (sizeof(v) / sizeof(v[0]))];
}

static inline HF_WORD hf_pointer(void)
{
    switch (rnd() % 6) {
    case 0:
        return hf_unmapped() + (HF_WORD)(rnd() % 4096);
    case 1:
        return hf_hole() + (HF_WORD)(rnd() % 4096);
    case 2:
        return hf_random();
    default: /* inside (or straddling the end of) the scratch page */
        return (HF_WORD)(uintptr_t)hf_scratch + (HF_WORD)(rnd() % HF_SCRATCH);
    }
}

static inline HF_WORD hf_arg(void)
{
    switch (rnd() % 4) {
    case 0:
        return hf_interesting();
    case 1:
        return hf_random();
    default:
        return hf_pointer();
    }
}

/* Random structure contents, with some words set to interesting values or to
 * pointers back into the scratch page (handles inside arguments); the layouts
 * are the same for both widths (Xen's ARM ABI pads them to 64 bits). */
static inline void hf_fill_scratch(void)
{
    for (unsigned int i = 0; i < HF_SCRATCH / 8; i++) {
        unsigned int kind = (unsigned int)(rnd() % 8);
        hf_scratch[i] = kind == 0 ? hf_interesting() : kind == 1 ? hf_pointer() : rnd();
    }
}

/* Sub-commands are ints on Xen: only the low 32 bits count. */
static inline bool hf_harmful(HF_WORD nr, HF_WORD c64)
{
    uint32_t c = (uint32_t)c64;
    if (nr == HF_sched_op)
        return c == HF_SCHEDOP_shutdown || c == HF_SCHEDOP_block || c == HF_SCHEDOP_poll;
    if (nr == HF_sched_op_compat)
        return true; /* its block and shutdown as well */
    if (nr == HF_vcpu_op)
        return c == HF_VCPUOP_down;
    if (nr == HF_console_io)
        return c == HF_CONSOLEIO_write;
    return false;
}

/* The next call into *call (its scratch structures filled); false: a harmful
 * one drawn, skip it. */
static inline bool hf_next(struct hf_call *call)
{
    static const struct {
        uint8_t nr, cmds;
    } calls[] = {
        {HF_memory_op, 32},   {HF_event_channel_op, 16}, {HF_grant_table_op, 16},
        {HF_vcpu_op, 16},     {HF_sched_op, 8},          {HF_hvm_op, 8},
        {HF_xen_version, 16}, {HF_physdev_op, 32},       {HF_platform_op, 64},
        {HF_vm_assist, 4},    {HF_console_io, 4},        {HF_multicall, 4},
    };
    if (rnd() % 16 == 0) {
        call->nr = (HF_WORD)(rnd() % 64); /* anything, known or not */
        call->c = hf_arg();
    } else {
        unsigned int k = (unsigned int)(rnd() % (sizeof(calls) / sizeof(calls[0])));
        call->nr = calls[k].nr;
        /* A sub-command, mostly within the range the hypercall knows. */
        call->c = rnd() % 8 == 0 ? hf_arg() : (HF_WORD)(rnd() % calls[k].cmds);
    }
    if (hf_harmful(call->nr, call->c))
        return false;
    /* Upper bits of a memory_op command carry a continuation's start. */
    if (call->nr == HF_memory_op && rnd() % 4 == 0)
        call->c |= (HF_WORD)(rnd() % 70000) << HF_MEMOP_EXTENT_SHIFT;
    hf_fill_scratch();
    for (unsigned int i = 0; i < 4; i++)
        call->a[i] = hf_arg();
    if (call->nr == HF_grant_table_op)
        call->a[1] %= 65536; /* the array count: it stays inside the area */
    /* multicall's count: 64-byte entries, each result written back, so a list
     * from the scratch page must end inside the area; and each entry is a
     * whole hypercall, so a few hundred keep the run's length. */
    if (call->nr == HF_multicall)
        call->a[0] %= 256;
    return true;
}

#endif
