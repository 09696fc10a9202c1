# lib/sched_credit2.c in a simulated pool (tests/unit/sched_sim.h): shares by
# weight, caps, blocking items, spreading over pCPUs, and the pick contract.
UNIT_SRCS_test_sched_credit2 := hypervisor/lib/sched_credit2.c hypervisor/lib/sched_policy.c \
                                hypervisor/lib/pheap.c
