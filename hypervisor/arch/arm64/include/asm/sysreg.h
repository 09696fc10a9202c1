/* System register access and barriers for AArch64 at EL2. */
#ifndef ASM_SYSREG_H
#define ASM_SYSREG_H

#include <cloison/types.h>

#define read_sysreg(r)                                \
    ({                                                \
        uint64_t __rv;                                \
        __asm__ volatile("mrs %0, " #r : "=r"(__rv)); \
        __rv;                                         \
    })
#define write_sysreg(r, v)                                 \
    do {                                                   \
        uint64_t __v = (uint64_t)(v);                      \
        __asm__ volatile("msr " #r ", %x0" : : "rZ"(__v)); \
    } while (0)

#define isb() __asm__ volatile("isb" ::: "memory")
#define dsb(opt) __asm__ volatile("dsb " #opt ::: "memory")
#define dmb(opt) __asm__ volatile("dmb " #opt ::: "memory")
#define wfi() __asm__ volatile("wfi" ::: "memory")
#define wfe() __asm__ volatile("wfe" ::: "memory")
#define sev() __asm__ volatile("sev" ::: "memory")

static inline void local_irq_enable(void)
{
    __asm__ volatile("msr daifclr, #2" ::: "memory");
}
static inline void local_irq_disable(void)
{
    __asm__ volatile("msr daifset, #2" ::: "memory");
}
static inline uint64_t local_irq_save(void)
{
    uint64_t f = read_sysreg(daif);
    local_irq_disable();
    return f;
}
static inline void local_irq_restore(uint64_t f)
{
    write_sysreg(daif, f);
}

static inline uint64_t cntpct(void)
{
    isb();
    return read_sysreg(cntpct_el0);
}

/* HCR_EL2 bits */
#define HCR_VM BIT(0)
#define HCR_SWIO BIT(1)
#define HCR_FMO BIT(3)
#define HCR_IMO BIT(4)
#define HCR_AMO BIT(5)
#define HCR_VSE BIT(8)
#define HCR_FB BIT(9)
#define HCR_BSU_IS (1UL << 10)
#define HCR_TWI BIT(13)
#define HCR_TWE BIT(14)
#define HCR_TSC BIT(19)
#define HCR_TIDCP BIT(20)
#define HCR_TACR BIT(21)
#define HCR_TSW BIT(22)
#define HCR_RW BIT(31)

/* ESR_EL2 */
#define ESR_EC_SHIFT 26
#define ESR_EC(esr) (((esr) >> ESR_EC_SHIFT) & 0x3f)
#define ESR_IL BIT(25)
#define ESR_ISS(esr) ((esr)&0x1ffffff)
/* Data/instruction abort status (DFSC/IFSC): the type, without the level. */
#define ESR_FSC_TYPE_MASK 0x3cUL
#define ESR_FSC_TRANSLATION 0x04UL /* translation fault, levels 0-3 */

#define EC_UNKNOWN 0x00
#define EC_WFX 0x01
#define EC_CP15_32 0x03
#define EC_CP15_64 0x04
#define EC_CP14_32 0x05
#define EC_CP14_LS 0x06
#define EC_FP_ASIMD 0x07
#define EC_CP10_ID 0x08
#define EC_CP14_64 0x0c
#define EC_HVC32 0x12
#define EC_SMC32 0x13
#define EC_HVC64 0x16
#define EC_SMC64 0x17
#define EC_SYSREG 0x18
#define EC_SVE 0x19
#define EC_IABT_LOW 0x20
#define EC_IABT_CUR 0x21
#define EC_PC_ALIGN 0x22
#define EC_DABT_LOW 0x24
#define EC_DABT_CUR 0x25
#define EC_SP_ALIGN 0x26
#define EC_SERROR 0x2f
#define EC_BRK64 0x3c

/* PSTATE / SPSR */
#define PSR_MODE_EL1h 0x5
#define PSR_MODE_EL1t 0x4
#define PSR_MODE_EL0t 0x0
#define PSR_MODE_MASK 0xf
#define PSR_AARCH32 BIT(4)
#define PSR_F BIT(6)
#define PSR_I BIT(7)
#define PSR_A BIT(8)
#define PSR_D BIT(9)
#define PSR_DAIF (PSR_D | PSR_A | PSR_I | PSR_F)

#endif
