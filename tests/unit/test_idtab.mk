UNIT_SRCS_test_idtab := hypervisor/lib/idtab.c
