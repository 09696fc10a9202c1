# dom0less parser against device trees compiled from tests/unit/data/*.dts.
UNIT_SRCS_test_dom0less := hypervisor/lib/report.c hypervisor/boot/dom0less.c
UNIT_LIBS_test_dom0less := $(UNIT_LIBFDT)
UNIT_CFLAGS_test_dom0less := -DUNIT_DATA_DIR='"$(BUILD)/unit/data"'

# The test reads the .dtb files at run time; build them before its object.
UNIT_DTBS := $(patsubst tests/unit/data/%.dts,$(BUILD)/unit/data/%.dtb,$(wildcard tests/unit/data/*.dts))
$(BUILD)/unit/data/%.dtb: tests/unit/data/%.dts
	@mkdir -p $(dir $@)
	dtc -q -I dts -O dtb -o $@ $<
$(BUILD)/unit/obj/test_dom0less/tests/unit/test_dom0less.o: $(UNIT_DTBS)
