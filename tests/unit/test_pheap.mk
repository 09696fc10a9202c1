UNIT_SRCS_test_pheap := hypervisor/lib/pheap.c
