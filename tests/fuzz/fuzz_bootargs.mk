# boot/bootargs.c on arbitrary bytes as the command line.
# Seed corpus: tests/fuzz/corpus/bootargs/ (tests/fuzz/mkseeds_boot.py).
FUZZ_SRCS_fuzz_bootargs := hypervisor/lib/report.c hypervisor/boot/bootargs.c
