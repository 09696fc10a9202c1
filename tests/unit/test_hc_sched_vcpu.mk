# sched_op, vcpu_op, vm_assist and hvm_op decoding.
include tests/unit/hc_world.mk
UNIT_SRCS_test_hc_sched_vcpu := $(HC_WORLD_SRCS)
UNIT_CFLAGS_test_hc_sched_vcpu := $(HC_WORLD_CFLAGS)
