# drivers/gic_dt.c on QEMU virt's own trees (dumped for test_dom0_dt) and
# variations of them.
UNIT_SRCS_test_gic_dt := hypervisor/lib/report.c hypervisor/drivers/gic_dt.c
UNIT_LIBS_test_gic_dt := $(UNIT_LIBFDT)
UNIT_CFLAGS_test_gic_dt := -DUNIT_DATA_DIR='"$(BUILD)/unit/data"'
$(BUILD)/unit/obj/test_gic_dt/tests/unit/test_gic_dt.o: $(DOM0_DT_INPUTS)
