# core/timer.c: per-pCPU timer queues over a fake counter and EL2 timer.
# The interrupt table is arch/arm64/irq.c's own (plain C): the timer registers
# its PPI there and the test raises it with irq_dispatch().
UNIT_SRCS_test_timer := hypervisor/core/timer.c hypervisor/lib/pheap.c hypervisor/arch/arm64/irq.c \
                        tests/unit/fakes/timer_fake.c tests/unit/fakes/lock_fake.c
UNIT_CFLAGS_test_timer := -Itests/unit/fakes/arch
