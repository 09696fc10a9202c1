UNIT_SRCS_test_idgen := hypervisor/lib/idgen.c hypervisor/lib/bitmap.c
