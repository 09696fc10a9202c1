/* EL2 stage-1 page tables (arch/arm64/mmu.c). */
#ifndef ASM_MMU_H
#define ASM_MMU_H
#include <cloison/mm.h>

enum map_type { MAP_RW, MAP_TEXT, MAP_RODATA, MAP_DEVICE };

void mmu_load(uint64_t *root, bool wxn); /* install tables + enable on this CPU */

#endif
