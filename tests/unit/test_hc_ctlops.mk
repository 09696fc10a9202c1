# domctl and sysctl commands beyond stage 1 (xen/ctl_*.c), through the real envelopes.
include tests/unit/hc_world.mk
UNIT_SRCS_test_hc_ctlops := $(HC_WORLD_SRCS)
UNIT_CFLAGS_test_hc_ctlops := $(HC_WORLD_CFLAGS)
