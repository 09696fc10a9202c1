UNIT_SRCS_test_evtchn_ports := hypervisor/core/evtchn.c hypervisor/core/evtchn_2l.c \
                               hypervisor/core/evtchn_fifo.c
