UNIT_SRCS_test_grant := hypervisor/core/grant_table.c hypervisor/core/grant_map.c \
                        hypervisor/core/domain_ram.c hypervisor/core/foreign_map.c \
                        hypervisor/lib/u64map.c hypervisor/arch/host/p2m_fake.c
