# grant_table_op decoding over the real grant tables.
include tests/unit/hc_world.mk
UNIT_SRCS_test_hc_grant := $(HC_WORLD_SRCS)
UNIT_CFLAGS_test_hc_grant := $(HC_WORLD_CFLAGS)
