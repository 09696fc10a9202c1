# dom0 userspace test tools: build/dom0/<tool> for every tests/dom0/<tool>.c,
# static arm64 Linux programs (Debian's libc6-dev-arm64-cross) that
# scripts/mkinitramfs.py copies into the busybox initramfs as /bin/<tool with ->.
# The initramfs is rebuilt here when a tool or the script changes, once
# scripts/fetch-guests.sh has fetched busybox (`make all` never downloads).
DOM0_DIR   := tests/dom0
DOM0_OUT   := $(BUILD)/dom0
DOM0_TOOLS := $(patsubst $(DOM0_DIR)/%.c,$(DOM0_OUT)/%,$(wildcard $(DOM0_DIR)/*.c))
DOM0_CFLAGS := -std=c11 -static -O2 $(WARN)

$(DOM0_OUT)/%: $(DOM0_DIR)/%.c
	@mkdir -p $(dir $@)
	$(CC) $(DOM0_CFLAGS) -MMD -MP -o $@ $<

INITRAMFS_OUT := $(BUILD)/linux/initramfs.cpio.gz
INITRAMFS_BUSYBOX := .cache/busybox/busybox
$(INITRAMFS_OUT): scripts/mkinitramfs.py $(DOM0_TOOLS) $(INITRAMFS_BUSYBOX)
	BUILD=$(BUILD) /usr/bin/python3 scripts/mkinitramfs.py --busybox $(INITRAMFS_BUSYBOX) \
	    --dom0-tools $(DOM0_OUT) -o $@

.PHONY: dom0-tools
dom0-tools: $(DOM0_TOOLS)
ALL_EXTRA += $(DOM0_TOOLS)
ifneq ($(wildcard $(INITRAMFS_BUSYBOX)),)
ALL_EXTRA += $(INITRAMFS_OUT)
endif

-include $(DOM0_TOOLS:=.d)
