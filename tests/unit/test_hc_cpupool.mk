# SYSCTL cpupool_op and createdomain/getdomaininfo's pool over the fake pools.
include tests/unit/hc_world.mk
UNIT_SRCS_test_hc_cpupool := $(HC_WORLD_SRCS)
UNIT_CFLAGS_test_hc_cpupool := $(HC_WORLD_CFLAGS)
