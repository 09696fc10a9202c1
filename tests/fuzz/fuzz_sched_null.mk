# lib/sched_null.c on random op sequences through tests/unit/policy_sim.h.
# Seed corpus: tests/fuzz/corpus/sched_null/ (tests/fuzz/mkseeds_sched.py).
FUZZ_SRCS_fuzz_sched_null := hypervisor/lib/sched_null.c
