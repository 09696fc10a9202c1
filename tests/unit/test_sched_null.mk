UNIT_SRCS_test_sched_null := hypervisor/lib/sched_null.c
