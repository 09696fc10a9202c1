# drivers/gic_dt.c on arbitrary bytes as the boot DTB.
# Seed corpus: tests/fuzz/corpus/irqchip/ (tests/fuzz/mkseeds_boot.py).
FUZZ_SRCS_fuzz_irqchip := hypervisor/lib/report.c hypervisor/drivers/gic_dt.c hypervisor/boot/fdt_validate.c
FUZZ_LIBS_fuzz_irqchip := /usr/lib/x86_64-linux-gnu/libfdt.so.1
