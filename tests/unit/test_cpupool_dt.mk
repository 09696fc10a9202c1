# The boot-time cpupool binding (boot/cpupool_dt.c) against trees from
# tests/unit/data/cpupool_*.dts (built by the rule in test_dom0less.mk).
UNIT_SRCS_test_cpupool_dt := hypervisor/lib/report.c hypervisor/boot/cpupool_dt.c
UNIT_LIBS_test_cpupool_dt := $(UNIT_LIBFDT)
UNIT_CFLAGS_test_cpupool_dt := -DUNIT_DATA_DIR='"$(BUILD)/unit/data"'
$(BUILD)/unit/obj/test_cpupool_dt/tests/unit/test_cpupool_dt.o: \
    $(patsubst tests/unit/data/%.dts,$(BUILD)/unit/data/%.dtb,$(wildcard tests/unit/data/*.dts)) \
    tests/unit/data/cpupool_cpus.dtsi
