UNIT_SRCS_test_scrubmap := hypervisor/lib/scrubmap.c
