# domctl, sysctl, multicall, xsm_op: the control interface's envelopes and sub-ops.
include tests/unit/hc_world.mk
UNIT_SRCS_test_hc_ctl := $(HC_WORLD_SRCS)
UNIT_CFLAGS_test_hc_ctl := $(HC_WORLD_CFLAGS)
