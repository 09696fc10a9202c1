# XEN_DOMCTL_vuart_op with dom0 as the backend: the domctl, event channels and vPL011.
include tests/unit/hc_world.mk
UNIT_SRCS_test_hc_vuart := $(HC_WORLD_SRCS)
UNIT_CFLAGS_test_hc_vuart := $(HC_WORLD_CFLAGS)
