UNIT_SRCS_test_string := hypervisor/lib/string.c hypervisor/lib/strtoul.c
