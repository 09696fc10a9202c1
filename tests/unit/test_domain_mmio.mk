# A domain's emulated MMIO windows (core/domain_mmio.c): pure bookkeeping.
UNIT_SRCS_test_domain_mmio := hypervisor/core/domain_mmio.c
