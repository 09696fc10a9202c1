UNIT_SRCS_test_aarch32 := hypervisor/trap/aarch32_cond.c
