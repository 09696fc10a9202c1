# boot/cpupool_dt.c (the xen,cpupool binding) on arbitrary bytes as the boot
# DTB, the bytes past its totalsize choosing the host (fuzz_cpupool_dt.c).
# Seed corpus: tests/fuzz/corpus/cpupool_dt/ (tests/fuzz/mkseeds_boot.py).
FUZZ_SRCS_fuzz_cpupool_dt := hypervisor/lib/report.c hypervisor/boot/cpupool_dt.c hypervisor/boot/fdt_validate.c
FUZZ_LIBS_fuzz_cpupool_dt := /usr/lib/x86_64-linux-gnu/libfdt.so.1
