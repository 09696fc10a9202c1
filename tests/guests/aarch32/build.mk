# AArch32 test guests: build/guests/{a32,t32}_<case>.img for every
# tests/guests/aarch32/cases/<case>.c, each case built as A32 and as T32 code
# with the AArch32 guest lib (tests/guests/aarch32/lib) and the hypervisor's
# freestanding string/printf compiled again for ARMv7. The images are 32-bit
# ARM zImages linked at 0x40008000 (the header's start field).
CROSS32      ?= arm-linux-gnueabihf-
CC32         := $(CROSS32)gcc
LD32         := $(CROSS32)ld
OBJCOPY32    := $(CROSS32)objcopy
G32_DIR      := tests/guests/aarch32
G32_OUT      := $(BUILD)/guests/aarch32
G32_CASES    := $(patsubst $(G32_DIR)/cases/%.c,%,$(wildcard $(G32_DIR)/cases/*.c))
G32_GCC_INC  := $(shell $(CC32) -print-file-name=include 2>/dev/null)
G32_LIBGCC   := $(shell $(CC32) -print-libgcc-file-name 2>/dev/null)
G32_CFLAGS   := -std=c11 -O2 -g -ffreestanding -nostdinc -isystem $(G32_GCC_INC) \
    -fno-pic -fno-pie -fno-stack-protector -fno-strict-aliasing -fno-common \
    -march=armv7-a -mfpu=vfpv3-d16 -mfloat-abi=hard -mgeneral-regs-only -mno-unaligned-access -fno-asynchronous-unwind-tables \
    -fno-unwind-tables -Ihypervisor/lib/include -Iinclude -I$(G32_DIR)/lib -I$(GUEST_DIR)/lib/include -Itests/include $(WARN)
G32_SRCS     := $(G32_DIR)/lib/lib32.c $(GUEST_DIR)/lib/report.c hypervisor/lib/string.c hypervisor/lib/printf.c
G32_IMGS     := $(foreach i,a32 t32,$(patsubst %,$(BUILD)/guests/$(i)_%.img,$(G32_CASES)))

$(G32_OUT)/a32/%.c.o: %.c
	@mkdir -p $(dir $@)
	$(CC32) $(G32_CFLAGS) -marm -MMD -MP -c $< -o $@
$(G32_OUT)/t32/%.c.o: %.c
	@mkdir -p $(dir $@)
	$(CC32) $(G32_CFLAGS) -mthumb -MMD -MP -c $< -o $@
$(G32_OUT)/start.S.o: $(G32_DIR)/lib/start.S
	@mkdir -p $(dir $@)
	$(CC32) $(G32_CFLAGS) -marm -D__ASSEMBLER__ -c $< -o $@

define G32_IMAGE
$(G32_OUT)/$(1)_$(2).elf: $(G32_OUT)/$(1)/$(G32_DIR)/cases/$(2).c.o \
    $(patsubst %,$(G32_OUT)/$(1)/%.o,$(G32_SRCS)) $(G32_OUT)/start.S.o $(G32_DIR)/guest32.ld
	$(LD32) -T $(G32_DIR)/guest32.ld -nostdlib --no-warn-rwx-segments -o $$@ \
	    $$(filter %.o,$$^) $(G32_LIBGCC)
$(BUILD)/guests/$(1)_$(2).img: $(G32_OUT)/$(1)_$(2).elf
	$(OBJCOPY32) -O binary $$< $$@
endef
$(foreach i,a32 t32,$(foreach c,$(G32_CASES),$(eval $(call G32_IMAGE,$(i),$(c)))))

.PHONY: guests32
guests32: $(G32_IMGS)
ALL_EXTRA += $(G32_IMGS)
.SECONDARY: $(patsubst $(BUILD)/guests/%.img,$(G32_OUT)/%.elf,$(G32_IMGS))

-include $(shell find $(G32_OUT) -name '*.d' 2>/dev/null)
