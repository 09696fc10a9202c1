# The Xen hypercall decoders (xen/hypercall.c, xen/hc_*.c) over the real Xen
# state and the fakes of tests/unit/fakes/hypercall_fake.c: the sources and
# flags every test_hc_* test and fuzz_hc_* fuzzer builds. hc_version.c wants the
# version string and the hypervisor's strlcpy (glibc 2.36 has none).
HC_WORLD_SRCS := hypervisor/xen/hypercall.c $(sort $(wildcard hypervisor/xen/hc_*.c)) \
    $(sort $(wildcard hypervisor/xen/ctl_*.c)) \
    hypervisor/xen/guest_copy.c \
    hypervisor/xen/evtchn.c hypervisor/lib/idtab.c hypervisor/xen/evtchn_xen.c hypervisor/xen/evtchn_mask.c \
    hypervisor/xen/evtchn_2l.c hypervisor/xen/evtchn_fifo.c \
    hypervisor/xen/evtchn_cfg.c hypervisor/xen/grant_table.c hypervisor/xen/grant_map.c \
    hypervisor/xen/shared_info.c hypervisor/xen/target_domain.c hypervisor/xen/xen_memory.c \
    hypervisor/xen/dom0_console.c hypervisor/xen/wallclock.c \
    hypervisor/core/domain_ram.c hypervisor/core/domain_mmio.c hypervisor/core/foreign_map.c \
    hypervisor/vdev/vpl011.c hypervisor/vdev/vpl011-regs.c hypervisor/vdev/vpl011-ring.c \
    hypervisor/core/domain_p2m.c hypervisor/console/conring.c \
    hypervisor/lib/u64map.c hypervisor/lib/sort.c hypervisor/lib/pfnmap.c hypervisor/lib/string.c \
    tests/unit/fakes/p2m_fake.c tests/unit/fakes/lock_fake.c \
    tests/unit/fakes/hypercall_fake.c tests/unit/fakes/ctl_fake.c tests/unit/fakes/cpupool_fake.c \
    tests/unit/fakes/vgic_level_fake.c tests/unit/fakes/cpupool_arinc653_fake.c \
    hypervisor/lib/sched_arinc653.c
HC_WORLD_CFLAGS := -Itests/unit/fakes/arch -DCLOISON_VERSION='"host"' -include tests/unit/lib_rename.h \
    -Dstrlcpy=lib_strlcpy
