UNIT_SRCS_test_grant := hypervisor/xen/grant_table.c hypervisor/xen/grant_map.c \
                        hypervisor/core/domain_ram.c hypervisor/core/domain_mmio.c hypervisor/core/foreign_map.c \
                        hypervisor/lib/u64map.c hypervisor/lib/sort.c hypervisor/lib/pfnmap.c \
                        tests/unit/fakes/p2m_fake.c tests/unit/fakes/lock_fake.c
