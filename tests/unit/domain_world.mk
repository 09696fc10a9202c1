# core/'s domain lifecycle as it runs on the machine: domains, their parts
# and listeners, vCPUs, RAM, foreign-map references, the scheduler and the
# timer queues, all real; under them the fake heap, page allocator and stage
# 2 (fakes/p2m_fake.c), the fake counter and pCPUs (fakes/timer_fake.c) and
# the fake context switch and power-off (fakes/sched_fake.c). Shared by
# test_domain and test_dying_vcpu_timers. domain.c wants the hypervisor's
# strlcpy (glibc 2.36 has none).
DOMAIN_WORLD_SRCS := hypervisor/core/domain.c hypervisor/core/domain_ctl.c hypervisor/core/domain_hooks.c hypervisor/core/footprint.c hypervisor/core/domain_p2m.c \
    hypervisor/core/domain_ram.c hypervisor/core/domain_mmio.c hypervisor/core/domain_ram_alloc.c hypervisor/core/vcpu.c \
    hypervisor/core/foreign_map.c hypervisor/core/sched.c hypervisor/core/cpupool.c hypervisor/lib/sched_credit2.c hypervisor/lib/sched_policy.c hypervisor/core/stretch.c \
    hypervisor/core/timer.c hypervisor/lib/pheap.c \
    hypervisor/arch/arm64/irq.c hypervisor/arch/arm64/vcpu_reset.c \
    hypervisor/lib/bitmap.c hypervisor/lib/idtab.c hypervisor/lib/u64map.c hypervisor/lib/sort.c hypervisor/lib/string.c \
    tests/unit/fakes/p2m_fake.c tests/unit/fakes/lock_fake.c \
    tests/unit/fakes/timer_fake.c tests/unit/fakes/sched_fake.c
DOMAIN_WORLD_CFLAGS := -Itests/unit/fakes/arch -include tests/unit/lib_rename.h \
    -Dstrlcpy=lib_strlcpy
