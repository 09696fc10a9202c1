# fdt_validate, then the dom0less parser and hypervisor-bootargs selection, on
# arbitrary bytes as a DTB.
# Seed corpus: tests/fuzz/corpus/dom0less/ (small trees made with dtc by mkseeds.py).
FUZZ_SRCS_fuzz_dom0less := hypervisor/lib/report.c hypervisor/boot/dom0less.c hypervisor/boot/fdt_validate.c
FUZZ_LIBS_fuzz_dom0less := /usr/lib/x86_64-linux-gnu/libfdt.so.1
