# fdt_validate, then the dom0less parser and hypervisor-bootargs selection, on
# arbitrary bytes as a DTB.
# Seed corpus: build/unit/data/*.dtb (from tests/unit/data/*.dts).
FUZZ_SRCS_fuzz_dom0less := hypervisor/boot/dom0less.c hypervisor/boot/fdt_validate.c
FUZZ_LIBS_fuzz_dom0less := /usr/lib/x86_64-linux-gnu/libfdt.so.1
