UNIT_SRCS_test_foreign_map := hypervisor/core/foreign_map.c hypervisor/core/domain_ram.c hypervisor/core/domain_mmio.c \
                              hypervisor/lib/u64map.c hypervisor/lib/sort.c \
                              tests/unit/fakes/p2m_fake.c tests/unit/fakes/lock_fake.c
