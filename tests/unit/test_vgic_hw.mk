# Physical SPI passthrough (vdev/vgic-hw.c) on the real vGIC, fake LRs and a
# fake physical distributor (fakes/vgic_fake.c).
UNIT_SRCS_test_vgic_hw := hypervisor/core/domain_mmio.c hypervisor/vdev/vgic.c \
    hypervisor/vdev/vgic-lr.c hypervisor/vdev/vgic-mmio.c hypervisor/vdev/vgic-v2.c \
    hypervisor/vdev/vgic-v3.c hypervisor/vdev/vgic-hw.c tests/unit/fakes/vgic_fake.c
