# console_io, xen_version, platform_op and physdev_op decoding.
include tests/unit/hc_world.mk
UNIT_SRCS_test_hc_console_version := $(HC_WORLD_SRCS)
UNIT_CFLAGS_test_hc_console_version := $(HC_WORLD_CFLAGS)
