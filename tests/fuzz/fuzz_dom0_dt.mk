# boot/dom0_dt.c on arbitrary bytes as the host DTB, and its walks over the
# tree it derives. Seed corpus: tests/fuzz/corpus/dom0_dt/ (QEMU virt's trees,
# tests/fuzz/mkseeds_boot.py).
FUZZ_SRCS_fuzz_dom0_dt := hypervisor/boot/dom0_dt.c hypervisor/boot/fdt_validate.c
FUZZ_LIBS_fuzz_dom0_dt := /usr/lib/x86_64-linux-gnu/libfdt.so.1
