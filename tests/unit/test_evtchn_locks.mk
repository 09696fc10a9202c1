UNIT_SRCS_test_evtchn_locks := hypervisor/xen/evtchn.c hypervisor/lib/idtab.c hypervisor/xen/evtchn_xen.c \
                               hypervisor/xen/evtchn_mask.c hypervisor/xen/evtchn_2l.c \
                               hypervisor/xen/evtchn_fifo.c \
                               tests/unit/fakes/lock_fake.c
