# fdt_validate against trees built here with libfdt's sequential writer, then
# corrupted one field at a time, and against every tests/unit/data/*.dts.
UNIT_SRCS_test_fdt_validate := hypervisor/boot/fdt_validate.c
UNIT_LIBS_test_fdt_validate := $(UNIT_LIBFDT)
UNIT_CFLAGS_test_fdt_validate := -DUNIT_DATA_DIR='"$(BUILD)/unit/data"'
$(BUILD)/unit/obj/test_fdt_validate/tests/unit/test_fdt_validate.o: $(UNIT_DTBS)
