# vPL011 register model (pure: no locks, domains or vGIC).
UNIT_SRCS_test_vpl011 := hypervisor/vdev/vpl011-regs.c hypervisor/vdev/vpl011-ring.c
