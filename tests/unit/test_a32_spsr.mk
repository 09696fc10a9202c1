UNIT_SRCS_test_a32_spsr := hypervisor/lib/a32_spsr.c
