/*
 * asm/cpu_local.h for host builds: the running pCPU's data is the one the
 * test says it runs on (fake_cpu_local, set by fakes/timer_fake.c), not a
 * TPIDR_EL2 read. Tests whose code asks which pCPU it is on put
 * -Itests/unit/fakes/arch in their flags, ahead of the arm64 headers.
 */
#ifndef ASM_CPU_LOCAL_H
#define ASM_CPU_LOCAL_H

extern _Thread_local void *fake_cpu_local; /* per host thread */

static inline void *arch_cpu_local(void)
{
    return fake_cpu_local;
}

#endif
