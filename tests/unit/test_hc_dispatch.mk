# xen/hypercall.c: numbers, results, continuations, argument widths.
include tests/unit/hc_world.mk
UNIT_SRCS_test_hc_dispatch := $(HC_WORLD_SRCS)
UNIT_CFLAGS_test_hc_dispatch := $(HC_WORLD_CFLAGS)
