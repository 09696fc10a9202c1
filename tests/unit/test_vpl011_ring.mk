# vPL011 register model in ring mode (Xen's vPL011 with a backend domain).
UNIT_SRCS_test_vpl011_ring := hypervisor/vdev/vpl011-regs.c hypervisor/vdev/vpl011-ring.c
