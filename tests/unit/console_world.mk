# The console (console/) with the real timer queues over the fakes in
# tests/unit/fakes/ (console_fake.c, timer_fake.c, lock_fake.c): what
# test_console and test_console_input build.
CONSOLE_WORLD_SRCS := hypervisor/console/console.c hypervisor/console/console_input.c \
    hypervisor/console/console_keys.c hypervisor/console/console_mux.c \
    hypervisor/console/printk.c hypervisor/console/conring.c hypervisor/core/stretch.c hypervisor/core/timer.c hypervisor/lib/pheap.c \
    hypervisor/arch/arm64/irq.c \
    tests/unit/fakes/console_fake.c tests/unit/fakes/timer_fake.c \
    tests/unit/fakes/lock_fake.c
CONSOLE_WORLD_CFLAGS := -Itests/unit/fakes/arch
