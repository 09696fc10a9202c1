# guestdt_build() read back with libfdt; the output is also fed to dtc.
UNIT_SRCS_test_guestdt := hypervisor/boot/guestdt.c
UNIT_LIBS_test_guestdt := $(UNIT_LIBFDT)
UNIT_CFLAGS_test_guestdt := -DUNIT_OUT_DIR='"$(BUILD)/unit/data"'
