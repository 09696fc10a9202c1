UNIT_SRCS_test_rangeset := hypervisor/lib/rangeset.c
