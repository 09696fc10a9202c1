UNIT_SRCS_test_pagepool := hypervisor/lib/pagepool.c hypervisor/lib/s2pt.c
