UNIT_SRCS_test_grant := hypervisor/core/grant_table.c hypervisor/core/grant_map.c
