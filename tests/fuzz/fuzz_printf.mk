FUZZ_SRCS_fuzz_printf := hypervisor/lib/printf.c
