UNIT_SRCS_test_u64map := hypervisor/lib/u64map.c
