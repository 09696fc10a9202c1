/* Boot stacks (boot.S): one per pCPU, which then serves as that pCPU's trap
 * stack (pcpu->stack_top). Plain macros: included by boot.S too. */
#ifndef ASM_BOOT_H
#define ASM_BOOT_H
#define BOOT_STACK_SIZE 16384
#define BOOT_STACKS 8 /* MAX_PCPUS (cloison/percpu.h), checked in cpu.c */
#endif
