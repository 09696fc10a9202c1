UNIT_SRCS_test_pvconsole_ring := hypervisor/xen/pvconsole_ring.c
