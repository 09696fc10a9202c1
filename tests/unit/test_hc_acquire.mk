# XENMEM_acquire_resource and the compat grant-table seeding, over the real grant and foreign-mapping code.
include tests/unit/hc_world.mk
UNIT_SRCS_test_hc_acquire := $(HC_WORLD_SRCS)
UNIT_CFLAGS_test_hc_acquire := $(HC_WORLD_CFLAGS)
