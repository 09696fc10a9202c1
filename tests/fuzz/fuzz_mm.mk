# core/mm_layout.c (RAM banks, reservations, boot modules) on arbitrary bytes
# as the boot DTB, with the modules boot/dom0less.c finds in it.
# Seed corpus: tests/fuzz/corpus/mm/ (tests/fuzz/mkseeds_boot.py).
FUZZ_SRCS_fuzz_mm := hypervisor/lib/report.c hypervisor/core/mm_layout.c hypervisor/lib/rangeset.c \
                     hypervisor/boot/dom0less.c hypervisor/boot/fdt_validate.c
FUZZ_LIBS_fuzz_mm := /usr/lib/x86_64-linux-gnu/libfdt.so.1
