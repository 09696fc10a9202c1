UNIT_SRCS_test_sched_arinc653 := hypervisor/lib/sched_arinc653.c hypervisor/lib/sched_null.c \
                                 hypervisor/lib/sched_policy.c hypervisor/lib/sched_credit2.c \
                                 hypervisor/lib/pheap.c
