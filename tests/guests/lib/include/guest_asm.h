/* Constants shared by the guest's assembly and C. */
#ifndef GUEST_ASM_H
#define GUEST_ASM_H

#define GUEST_TEXT_OFFSET 0x80000
#define GUEST_MAX_CPUS 4     /* power of two: entry.S masks MPIDR with it */
#define GUEST_STACK_SHIFT 14 /* 16 KiB per vCPU */
#define FRAME_SIZE 272       /* struct trap_frame: x0..x30, elr, spsr, pad */

#endif
