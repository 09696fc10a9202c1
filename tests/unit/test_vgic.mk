# vGIC state core + v2/v3 front-ends against fake list registers (fakes/vgic_fake.c).
UNIT_SRCS_test_vgic := hypervisor/core/domain_mmio.c hypervisor/vdev/vgic.c \
    hypervisor/vdev/vgic-lr.c hypervisor/vdev/vgic-mmio.c hypervisor/vdev/vgic-v2.c \
    hypervisor/vdev/vgic-v3.c hypervisor/vdev/vgic-hw.c tests/unit/fakes/vgic_fake.c
