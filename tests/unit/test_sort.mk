UNIT_SRCS_test_sort := hypervisor/lib/sort.c
