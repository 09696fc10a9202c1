# dom0's device tree derived from QEMU virt's own trees (GICv3 and GICv2),
# dumped by QEMU at build time, with boot modules and a dom0less domain added.
UNIT_SRCS_test_dom0_dt := hypervisor/boot/dom0_dt.c
UNIT_LIBS_test_dom0_dt := $(UNIT_LIBFDT)
UNIT_CFLAGS_test_dom0_dt := -DUNIT_DATA_DIR='"$(BUILD)/unit/data"'

DOM0_DT_INPUTS := $(BUILD)/unit/data/virt-gicv3-boot.dtb $(BUILD)/unit/data/virt-gicv2-boot.dtb
$(BUILD)/unit/data/virt-gicv%.board.dtb:
	@mkdir -p $(dir $@)
	qemu-system-aarch64 -M virt,virtualization=on,gic-version=$* -cpu cortex-a57 -smp 2 -m 1024 \
	    -nodefaults -display none -machine dumpdtb=$@ >/dev/null 2>&1
$(BUILD)/unit/data/virt-gicv%-boot.dtb: $(BUILD)/unit/data/virt-gicv%.board.dtb tests/unit/data/dom0_chosen.dtsi
	dtc -q -I dtb -O dts $< > $(@:.dtb=.dts)
	cat tests/unit/data/dom0_chosen.dtsi >> $(@:.dtb=.dts)
	dtc -q -I dts -O dtb -o $@ $(@:.dtb=.dts)
$(BUILD)/unit/obj/test_dom0_dt/tests/unit/test_dom0_dt.o: $(DOM0_DT_INPUTS)
