# event_channel_op decoding over the real port tables.
include tests/unit/hc_world.mk
UNIT_SRCS_test_hc_evtchn := $(HC_WORLD_SRCS)
UNIT_CFLAGS_test_hc_evtchn := $(HC_WORLD_CFLAGS)
