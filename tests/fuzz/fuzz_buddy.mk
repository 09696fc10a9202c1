FUZZ_SRCS_fuzz_buddy := hypervisor/lib/buddy.c
