UNIT_SRCS_test_image := hypervisor/boot/image.c
