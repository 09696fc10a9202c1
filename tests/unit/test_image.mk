UNIT_SRCS_test_image := hypervisor/core/image.c
