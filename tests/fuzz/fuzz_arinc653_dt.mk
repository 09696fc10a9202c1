# fdt_validate, then the cloison,arinc653-* parser on every node, on arbitrary
# bytes as a DTB. Seed corpus: tests/fuzz/corpus/arinc653_dt/ (tests/unit/data/arinc653.dts).
FUZZ_SRCS_fuzz_arinc653_dt := hypervisor/lib/report.c hypervisor/boot/arinc653_dt.c \
    hypervisor/boot/fdt_validate.c hypervisor/lib/sched_arinc653.c
FUZZ_LIBS_fuzz_arinc653_dt := /usr/lib/x86_64-linux-gnu/libfdt.so.1
