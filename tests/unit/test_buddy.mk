UNIT_SRCS_test_buddy := hypervisor/lib/buddy.c
