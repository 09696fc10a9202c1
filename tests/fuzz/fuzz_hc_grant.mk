# grant_table_op fuzzing (hc_fuzz.h), over the real Xen state.
include tests/unit/hc_world.mk
FUZZ_SRCS_fuzz_hc_grant := $(HC_WORLD_SRCS)
FUZZ_CFLAGS_fuzz_hc_grant := $(HC_WORLD_CFLAGS)
