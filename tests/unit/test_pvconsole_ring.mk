UNIT_SRCS_test_pvconsole_ring := hypervisor/core/pvconsole_ring.c
