# boot/guestdt.c from fuzzed parameters (layout in fuzz_guestdt.c).
# Seed corpus: tests/fuzz/corpus/guestdt/ (tests/fuzz/mkseeds_boot.py).
FUZZ_SRCS_fuzz_guestdt := hypervisor/boot/guestdt.c hypervisor/boot/fdt_validate.c
FUZZ_LIBS_fuzz_guestdt := /usr/lib/x86_64-linux-gnu/libfdt.so.1
