/* VMSAv8-64 translation table descriptors, 4 KiB granule (stage 1 and 2). */
#ifndef ASM_PGTABLE_H
#define ASM_PGTABLE_H

#include <cloison/types.h>

#define PTE_VALID BIT(0)
#define PTE_TABLE BIT(1) /* levels 0-2: next-level table */
#define PTE_PAGE BIT(1)  /* level 3: page */
#define PTE_AF BIT(10)
#define PTE_SH_INNER (3UL << 8)
#define PTE_ADDR_MASK 0x0000fffffffff000UL

/* Stage 1 (EL2 regime: no user/kernel split, AP[2] = read-only) */
#define S1_ATTRIDX(n) ((uint64_t)(n) << 2)
#define S1_AP_RO BIT(7)
#define S1_XN BIT(54) /* EL2 regime: XN */

#define MAIR_IDX_DEVICE_nGnRnE 0
#define MAIR_IDX_DEVICE_nGnRE 1
#define MAIR_IDX_NORMAL_NC 2
#define MAIR_IDX_NORMAL 3
#define MAIR_VALUE 0x00000000ff440400UL

/* Stage 2 */
#define S2_MEMATTR_DEVICE_nGnRE (0x1UL << 2)
#define S2_MEMATTR_NORMAL_WB (0xfUL << 2)
#define S2_AP_R (1UL << 6)
#define S2_AP_W (1UL << 7)
#define S2_XN BIT(54)

#define LEVEL_SHIFT(l) (39 - 9 * (l)) /* 4 KiB granule: level 0..3 */
#define LEVEL_SIZE(l) (1UL << LEVEL_SHIFT(l))
#define PT_ENTRIES 512

#endif
