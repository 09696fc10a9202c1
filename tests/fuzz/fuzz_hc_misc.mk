# sched_op, vcpu_op, hvm_op, console_io, xen_version, platform_op, physdev_op, vm_assist, multicall, domctl, sysctl, xsm_op fuzzing (hc_fuzz.h), over the real Xen state.
include tests/unit/hc_world.mk
FUZZ_SRCS_fuzz_hc_misc := $(HC_WORLD_SRCS)
FUZZ_CFLAGS_fuzz_hc_misc := $(HC_WORLD_CFLAGS)
