/* AArch32 trap rules: condition codes (from ESR.CV/COND and from the IT
 * state), ITAdvance, and the banked-register map onto X registers. */
#include <trap/aarch32.h>
#include "harness.h"

#define EC(ec) ((uint64_t)(ec) << 26)
#define CV (1UL << 24)
#define COND(c) ((uint64_t)(c) << 20)
#define NZCV(f) ((uint64_t)(f) << 28)
#define A32_SVC 0x13UL /* AArch32 SVC mode: bit 4 (AArch32) set */
#define T (1UL << 5)
/* IT[7:0] into SPSR bits 15:10 (IT[7:2]) and 26:25 (IT[1:0]). */
#define IT(it) ((((uint64_t)(it) >> 2) << 10) | (((uint64_t)(it)&3) << 25))

enum { n = 8, z = 4, c = 2, v = 1 };

TEST(every_condition)
{
    /* cond, flags that pass, flags that fail */
    static const struct {
        unsigned int cond, pass, fail;
    } t[] = {
        {0, z, 0},
        {1, 0, z},
        {2, c, 0},
        {3, 0, c},
        {4, n, 0},
        {5, 0, n},
        {6, v, 0},
        {7, 0, v},
        {8, c, c | z},
        {9, c | z, c},
        {10, n | v, n},
        {11, n, n | v},
        {12, n | v, z | n | v},
        {13, z, 0},
    };
    for (unsigned int i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        CHECK(aarch32_cond_holds(t[i].cond, t[i].pass));
        CHECK(!aarch32_cond_holds(t[i].cond, t[i].fail));
    }
    for (unsigned int f = 0; f < 16; f++) {
        CHECK(aarch32_cond_holds(14, f));
        CHECK(aarch32_cond_holds(15, f));
        /* Each pair is a condition and its inverse. */
        for (unsigned int cc = 0; cc < 14; cc += 2)
            CHECK(aarch32_cond_holds(cc, f) != aarch32_cond_holds(cc + 1, f));
    }
}

TEST(esr_condition)
{
    /* MCR (EC 0x03) with CV: COND against the SPSR flags. */
    CHECK(aarch32_cond_passed(EC(3) | CV | COND(0), A32_SVC | NZCV(z)));
    CHECK(!aarch32_cond_passed(EC(3) | CV | COND(0), A32_SVC));
    CHECK(!aarch32_cond_passed(EC(1) | CV | COND(1), A32_SVC | NZCV(z))); /* WFINE */
    CHECK(!aarch32_cond_passed(EC(0x13) | CV | COND(11), A32_SVC));       /* SMCLT */
    CHECK(aarch32_cond_passed(EC(0x0c) | CV | COND(14), A32_SVC));
    /* From AArch64 or an unconditional class: always. */
    CHECK(aarch32_cond_passed(EC(3) | CV | COND(0), 0x5));
    CHECK(aarch32_cond_passed(EC(0x12) | CV | COND(0), A32_SVC)); /* HVC */
    CHECK(aarch32_cond_passed(EC(0x24) | CV | COND(0), A32_SVC)); /* data abort */
    /* A32 without CV: unconditional. */
    CHECK(aarch32_cond_passed(EC(3), A32_SVC));
    /* T32 without CV: the IT block's condition (ITEQ: IT = 0b0000_1000). */
    CHECK(aarch32_cond_passed(EC(3), A32_SVC | T | IT(0x08) | NZCV(z)));
    CHECK(!aarch32_cond_passed(EC(3), A32_SVC | T | IT(0x08)));
    /* ...outside an IT block: unconditional. */
    CHECK(aarch32_cond_passed(EC(3), A32_SVC | T));
    /* ITNE (cond 1): IT = 0b0001_1000. */
    CHECK(aarch32_cond_passed(EC(3), A32_SVC | T | IT(0x18)));
}

TEST(it_advance)
{
    /* Not in an IT block: unchanged. */
    CHECK_EQ(aarch32_it_advance(A32_SVC | T), A32_SVC | T);
    /* One-instruction block (mask 1000): done after it. */
    CHECK_EQ(aarch32_it_advance(A32_SVC | T | IT(0x08)), A32_SVC | T);
    /* Inside a block: IT[4:0] shifts left one place. */
    CHECK_EQ(aarch32_it_advance(A32_SVC | T | IT(0x04)), A32_SVC | T | IT(0x08));
    CHECK_EQ(aarch32_it_advance(A32_SVC | T | IT(0x0c)), A32_SVC | T | IT(0x18));
    /* IT[7:5] kept: 1010_0110 -> 1010_1100. */
    CHECK_EQ(aarch32_it_advance(A32_SVC | T | IT(0xa6)), A32_SVC | T | IT(0xac));
    /* The flags and mode are left alone. */
    CHECK_EQ(aarch32_it_advance(NZCV(15) | A32_SVC | T | IT(0x08)), NZCV(15) | A32_SVC | T);
}

TEST(banked_registers)
{
    static const unsigned int modes[] = {0x10, 0x11, 0x12, 0x13, 0x17, 0x1b, 0x1f};
    /* r0-r7 are x0-x7 in every mode. */
    for (unsigned int m = 0; m < sizeof(modes) / sizeof(modes[0]); m++)
        for (unsigned int r = 0; r < 8; r++)
            CHECK_EQ(aarch32_reg_index(modes[m], r), r);
    /* r8-r12: x8-x12, except FIQ's own x24-x28. */
    for (unsigned int r = 8; r <= 12; r++) {
        CHECK_EQ(aarch32_reg_index(0x13, r), r);
        CHECK_EQ(aarch32_reg_index(0x11, r), r + 16);
    }
    /* SP and LR of each mode. */
    static const struct {
        unsigned int mode, sp, lr;
    } b[] = {
        {0x10, 13, 14}, {0x1f, 13, 14}, {0x12, 17, 16}, {0x13, 19, 18},
        {0x17, 21, 20}, {0x1b, 23, 22}, {0x11, 29, 30},
    };
    for (unsigned int i = 0; i < sizeof(b) / sizeof(b[0]); i++) {
        CHECK_EQ(aarch32_reg_index(b[i].mode, 13), b[i].sp);
        CHECK_EQ(aarch32_reg_index(b[i].mode, 14), b[i].lr);
    }
    /* Hyp: SP_hyp is x15, LR_hyp is ELR_hyp (no X register). */
    CHECK_EQ(aarch32_reg_index(0x1a, 13), 15);
    CHECK_EQ(aarch32_reg_index(0x1a, 14), 31);
    /* PC, an unknown mode. */
    CHECK_EQ(aarch32_reg_index(0x13, 15), 31);
    CHECK_EQ(aarch32_reg_index(0x15, 13), 31);
}

TEST(esr_transfer_register)
{
    /* From AArch64: as given. */
    CHECK_EQ(aarch32_esr_reg(0x5, 13), 13);
    /* AArch64 view from AArch32 (the architecture): unchanged. */
    CHECK_EQ(aarch32_esr_reg(0x11, 24), 24); /* r8_fiq */
    CHECK_EQ(aarch32_esr_reg(0x13, 19), 19); /* SP_svc */
    CHECK_EQ(aarch32_esr_reg(0x13, 3), 3);
    /* AArch32 numbers (QEMU): mapped through the mode's banks. */
    CHECK_EQ(aarch32_esr_reg(0x11, 8), 24);
    CHECK_EQ(aarch32_esr_reg(0x11, 10), 26);
    CHECK_EQ(aarch32_esr_reg(0x13, 13), 19);
    CHECK_EQ(aarch32_esr_reg(0x17, 14), 20);
    CHECK_EQ(aarch32_esr_reg(0x10, 13), 13);
    CHECK_EQ(aarch32_esr_reg(0x13, 12), 12);
}
