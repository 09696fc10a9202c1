# The cloison,arinc653-* properties of pool nodes, on tests/unit/data/arinc653.dts.
UNIT_SRCS_test_arinc653_dt := hypervisor/boot/arinc653_dt.c hypervisor/lib/report.c \
    hypervisor/lib/sched_arinc653.c
UNIT_LIBS_test_arinc653_dt := $(UNIT_LIBFDT)
UNIT_CFLAGS_test_arinc653_dt := -DUNIT_DATA_DIR='"$(BUILD)/unit/data"'
$(BUILD)/unit/obj/test_arinc653_dt/tests/unit/test_arinc653_dt.o: $(BUILD)/unit/data/arinc653.dtb
