UNIT_SRCS_test_bootargs := hypervisor/boot/bootargs.c
