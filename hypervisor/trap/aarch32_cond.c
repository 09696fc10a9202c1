/*
 * The AArch32 rules a trap handler needs and that depend on nothing but
 * their arguments (unit-tested on the host): condition codes, the IT state
 * of T32 code, and where each mode's registers live in the X registers.
 */
#include <trap/aarch32.h>

#define ESR_EC(esr) (((esr) >> 26) & 0x3f)
#define ESR_CV (1UL << 24)
#define ESR_COND(esr) (((esr) >> 20) & 0xf)
#define SPSR_AARCH32 (1UL << 4)
#define EC_WFX 0x01
#define EC_CP10_ID 0x08
#define EC_SMC32 0x13
#define EC_CP14_64 0x0c

#define N (1U << 3)
#define Z (1U << 2)
#define C (1U << 1)
#define V (1U << 0)

bool aarch32_cond_holds(unsigned int cond, unsigned int nzcv)
{
    bool n = nzcv & N, z = nzcv & Z, c = nzcv & C, v = nzcv & V;
    bool r;

    switch (cond >> 1) {
    case 0: /* EQ/NE */
        r = z;
        break;
    case 1: /* CS/CC */
        r = c;
        break;
    case 2: /* MI/PL */
        r = n;
        break;
    case 3: /* VS/VC */
        r = v;
        break;
    case 4: /* HI/LS */
        r = c && !z;
        break;
    case 5: /* GE/LT */
        r = n == v;
        break;
    case 6: /* GT/LE */
        r = !z && n == v;
        break;
    default: /* AL, and 0b1111 (unconditional) */
        return true;
    }
    return (cond & 1) ? !r : r;
}

static unsigned int it_state(uint64_t spsr)
{
    return (unsigned int)(((spsr >> PSR32_IT_LO_SHIFT) & 3) |
                          (((spsr >> PSR32_IT_HI_SHIFT) & 0x3f) << 2));
}

static uint64_t with_it(uint64_t spsr, unsigned int it)
{
    spsr &= ~((3UL << PSR32_IT_LO_SHIFT) | (0x3fUL << PSR32_IT_HI_SHIFT));
    return spsr | ((uint64_t)(it & 3) << PSR32_IT_LO_SHIFT) |
           ((uint64_t)(it >> 2) << PSR32_IT_HI_SHIFT);
}

bool aarch32_cond_passed(uint64_t esr, uint64_t spsr)
{
    unsigned int ec = ESR_EC(esr);

    if (!(spsr & SPSR_AARCH32))
        return true;
    /* Only these classes can be conditional; the rest (HVC, aborts...) never are. */
    if (!(ec == EC_WFX || (ec >= 0x03 && ec <= EC_CP10_ID) || ec == EC_CP14_64 || ec == EC_SMC32))
        return true;
    unsigned int cond;
    if (esr & ESR_CV) {
        cond = ESR_COND(esr);
    } else {
        /* No condition in the syndrome: T32 code in an IT block has its
         * condition in IT[7:4]; A32 code without CV is unconditional. */
        unsigned int it = it_state(spsr);
        if (!(spsr & PSR32_T) || (it & 0xf) == 0)
            return true;
        cond = it >> 4;
    }
    return aarch32_cond_holds(cond, (unsigned int)(spsr >> 28) & 0xf);
}

uint64_t aarch32_it_advance(uint64_t spsr)
{
    unsigned int it = it_state(spsr);

    if (it == 0)
        return spsr;
    if ((it & 7) == 0) /* the block's last instruction */
        return with_it(spsr, 0);
    return with_it(spsr, (it & 0xe0) | ((it << 1) & 0x1f));
}

unsigned int aarch32_reg_index(unsigned int mode, unsigned int r)
{
    if (r <= 7)
        return r;
    if (r <= 12)
        return mode == PSR32_MODE_FIQ ? r + 16 : r;
    if (r > 14)
        return 31;
    bool sp = r == 13;
    switch (mode) {
    case PSR32_MODE_USR:
    case PSR32_MODE_SYS:
        return r;
    case PSR32_MODE_HYP:
        return sp ? 15 : 31;
    case PSR32_MODE_IRQ:
        return sp ? 17 : 16;
    case PSR32_MODE_SVC:
        return sp ? 19 : 18;
    case PSR32_MODE_ABT:
        return sp ? 21 : 20;
    case PSR32_MODE_UND:
        return sp ? 23 : 22;
    case PSR32_MODE_FIQ:
        return sp ? 29 : 30;
    default:
        return 31;
    }
}

unsigned int aarch32_esr_reg(uint64_t spsr, unsigned int n)
{
    if (!(spsr & SPSR_AARCH32) || n > 14)
        return n;
    return aarch32_reg_index((unsigned int)spsr & PSR32_MODE_MASK, n);
}
