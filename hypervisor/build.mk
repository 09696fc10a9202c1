# The EL2 image. Every .c/.S under these directories is part of it; adding a
# file needs no Makefile change.
CLOISON_VERSION := 0.1.0
HV_DIRS := hypervisor/arch/arm64 hypervisor/drivers hypervisor/core hypervisor/console \
           hypervisor/vdev hypervisor/xen hypervisor/trap hypervisor/boot hypervisor/lib
HV_SRCS := $(foreach d,$(HV_DIRS),$(wildcard $(d)/*.c $(d)/*.S))
HV_OBJS := $(patsubst %,$(BUILD)/%.o,$(HV_SRCS))
HV_CFLAGS := $(FREESTANDING_CFLAGS) -Ihypervisor/include -Ihypervisor/arch/arm64/include \
             -DCLOISON_VERSION='"$(CLOISON_VERSION)"'
# make DEBUG=1 BUILD=build/debug (a directory of its own): the debug build, where every
# lock records the pCPU holding it for ASSERT_HELD (cloison/assert.h).
ifeq ($(DEBUG),1)
HV_CFLAGS += -DCLOISON_DEBUG
endif

$(BUILD)/hypervisor/%.c.o: hypervisor/%.c $(FDTINC)/.stamp
	@mkdir -p $(dir $@)
	$(CC) $(HV_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/hypervisor/%.S.o: hypervisor/%.S $(BUILD)/asm-offsets.h
	@mkdir -p $(dir $@)
	$(CC) $(HV_CFLAGS) -I$(BUILD) -D__ASSEMBLY__ -MMD -MP -c $< -o $@

# Structure offsets for assembly come from C (asm-offsets.c.in is compiled to asm
# and its markers turned into #defines).
$(BUILD)/asm-offsets.h: hypervisor/arch/arm64/asm-offsets.c.in $(FDTINC)/.stamp
	@mkdir -p $(BUILD)
	$(CC) $(HV_CFLAGS) -x c -S $< -o $(BUILD)/asm-offsets.s
	sed -n 's/.*->\([A-Z_0-9]*\) #\?\([0-9-]*\).*/#define \1 \2/p' $(BUILD)/asm-offsets.s > $@

$(BUILD)/cloison.elf: $(HV_OBJS) hypervisor/linker.ld
	$(LD) -T hypervisor/linker.ld -nostdlib --no-warn-rwx-segments -o $@ $(HV_OBJS) $(LIBFDT_A) \
	    $(shell $(CC) -print-libgcc-file-name)

$(BUILD)/cloison: $(BUILD)/cloison.elf
	$(OBJCOPY) -O binary $< $@

-include $(HV_OBJS:.o=.d)
