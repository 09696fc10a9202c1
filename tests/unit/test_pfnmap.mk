UNIT_SRCS_test_pfnmap := hypervisor/lib/pfnmap.c
