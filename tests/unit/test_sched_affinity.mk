# core/sched.c hard affinity and vCPU migration, over the same fakes as test_sched.
# core/sched.c over the real timer queues (core/timer.c) and interrupt table
# (arch/arm64/irq.c), a fake counter and EL2 timers (fakes/timer_fake.c), and
# a fake context switch whose ways back to the guest or to idle return to the
# test (fakes/sched_fake.c).
UNIT_SRCS_test_sched_affinity := hypervisor/core/sched.c hypervisor/core/cpupool.c hypervisor/lib/sched_credit2.c hypervisor/lib/sched_policy.c hypervisor/core/stretch.c hypervisor/core/timer.c hypervisor/lib/pheap.c \
                        hypervisor/arch/arm64/irq.c hypervisor/arch/arm64/vcpu_reset.c \
                        tests/unit/fakes/timer_fake.c \
                        tests/unit/fakes/lock_fake.c tests/unit/fakes/sched_fake.c tests/unit/fakes/domlist_fake.c
UNIT_CFLAGS_test_sched_affinity := -Itests/unit/fakes/arch
