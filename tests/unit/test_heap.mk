UNIT_SRCS_test_heap := hypervisor/lib/heap.c
