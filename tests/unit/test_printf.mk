UNIT_SRCS_test_printf := hypervisor/lib/printf.c
