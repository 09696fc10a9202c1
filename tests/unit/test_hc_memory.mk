# memory_op decoding over the real shared_info, balloon, grant and foreign-map code.
include tests/unit/hc_world.mk
UNIT_SRCS_test_hc_memory := $(HC_WORLD_SRCS)
UNIT_CFLAGS_test_hc_memory := $(HC_WORLD_CFLAGS)
