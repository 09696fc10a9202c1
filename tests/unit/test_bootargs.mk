UNIT_SRCS_test_bootargs := hypervisor/lib/report.c hypervisor/boot/bootargs.c
