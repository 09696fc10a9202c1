/* Per-pCPU EL2 setup: declared in cloison/arch.h. */
#ifndef ASM_CPU_H
#define ASM_CPU_H
#include <cloison/arch.h>
#endif
