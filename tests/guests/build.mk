# Test guests: build/guests/<case>.img for every tests/guests/cases/<case>.c.
# Each image = the case + the guest lib (tests/guests/lib) + the hypervisor's
# freestanding string/printf (the same sources, compiled again for EL1) +
# Debian's libfdt.a. Images are arm64 Linux Images linked at 0x40080000.
GUEST_DIR    := tests/guests
GUEST_OUT    := $(BUILD)/guests
GUEST_CASES  := $(patsubst $(GUEST_DIR)/cases/%.c,%,$(wildcard $(GUEST_DIR)/cases/*.c))
GUEST_LIB_SRCS := $(wildcard $(GUEST_DIR)/lib/*.c $(GUEST_DIR)/lib/*.S)
GUEST_HVLIB_SRCS ?= hypervisor/lib/string.c hypervisor/lib/strtoul.c hypervisor/lib/printf.c
# -D_LIBC_LIMITS_H_: GCC's limits.h otherwise include_next's a libc limits.h that
# -nostdinc hides (libfdt_env.h includes <limits.h>).
GUEST_CFLAGS := $(FREESTANDING_CFLAGS) -D_LIBC_LIMITS_H_ -I$(GUEST_DIR)/lib/include -Itests/include
# Guests run at EL1 with FP enabled, but keep the hypervisor's general-regs-only
# rule anyway: nothing in a test needs FP, and libfdt's FP use is its own.

GUEST_LIB_OBJS := $(patsubst %,$(GUEST_OUT)/obj/%.o,$(GUEST_LIB_SRCS) $(GUEST_HVLIB_SRCS))
GUEST_IMGS := $(patsubst %,$(GUEST_OUT)/%.img,$(GUEST_CASES))

$(GUEST_OUT)/obj/%.c.o: %.c $(FDTINC)/.stamp
	@mkdir -p $(dir $@)
	$(CC) $(GUEST_CFLAGS) -MMD -MP -c $< -o $@

$(GUEST_OUT)/obj/%.S.o: %.S
	@mkdir -p $(dir $@)
	$(CC) $(GUEST_CFLAGS) -D__ASSEMBLER__ -MMD -MP -c $< -o $@

$(GUEST_OUT)/%.elf: $(GUEST_OUT)/obj/$(GUEST_DIR)/cases/%.c.o $(GUEST_LIB_OBJS) $(GUEST_DIR)/guest.ld
	$(LD) -T $(GUEST_DIR)/guest.ld -nostdlib --no-warn-rwx-segments -o $@ $< $(GUEST_LIB_OBJS) \
	    $(LIBFDT_A) $(shell $(CC) -print-libgcc-file-name)

$(GUEST_OUT)/%.img: $(GUEST_OUT)/%.elf
	$(OBJCOPY) -O binary $< $@

.PHONY: guests
guests: $(GUEST_IMGS)
ALL_EXTRA += $(GUEST_IMGS)
.SECONDARY: $(GUEST_IMGS:.img=.elf)

-include $(GUEST_LIB_OBJS:.o=.d) $(patsubst %,$(GUEST_OUT)/obj/$(GUEST_DIR)/cases/%.c.d,$(GUEST_CASES))
