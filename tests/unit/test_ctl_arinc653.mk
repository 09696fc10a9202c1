# SYSCTL scheduler_op for arinc653 pools (xen/ctl_sched_arinc653.c) over a real policy state.
UNIT_SRCS_test_ctl_arinc653 := hypervisor/xen/ctl_sched_arinc653.c hypervisor/lib/sched_arinc653.c
UNIT_CFLAGS_test_ctl_arinc653 := -Itests/unit/fakes/arch
