UNIT_SRCS_test_bitmap := hypervisor/lib/bitmap.c
