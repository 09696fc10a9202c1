# core/mm_layout.c on device trees the test writes with libfdt.
UNIT_SRCS_test_mm_layout := hypervisor/lib/report.c hypervisor/core/mm_layout.c hypervisor/lib/rangeset.c
UNIT_LIBS_test_mm_layout := $(UNIT_LIBFDT)
