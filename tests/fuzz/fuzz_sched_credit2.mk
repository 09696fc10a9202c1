# lib/sched_credit2.c on random sequences of the framework's calls.
# Seed corpus: tests/fuzz/corpus/sched_credit2/.
FUZZ_SRCS_fuzz_sched_credit2 := hypervisor/lib/sched_credit2.c hypervisor/lib/pheap.c
