# Console input multiplexer: Ctrl-a x3 state machine and focus order.
UNIT_SRCS_test_console_mux := hypervisor/console/console_mux.c
