# core/timer.c with host threads playing pCPUs at once: real ticket locks
# (fakes/lock_threads.c), the fake counter and EL2 timers with a pCPU per
# thread (fakes/timer_fake.c), arch's interrupt table (arch/arm64/irq.c).
UNIT_SRCS_test_timer_threads := hypervisor/core/timer.c hypervisor/lib/pheap.c hypervisor/arch/arm64/irq.c \
    tests/unit/fakes/timer_fake.c tests/unit/fakes/lock_threads.c
UNIT_CFLAGS_test_timer_threads := -Itests/unit/fakes/arch -pthread
UNIT_LIBS_test_timer_threads := -pthread
