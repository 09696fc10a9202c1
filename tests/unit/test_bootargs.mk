UNIT_SRCS_test_bootargs := hypervisor/core/bootargs.c
