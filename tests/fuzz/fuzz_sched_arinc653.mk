# lib/sched_arinc653.c on random schedules and op sequences (tests/unit/policy_sim.h).
# Seed corpus: tests/fuzz/corpus/sched_arinc653/ (tests/fuzz/mkseeds_sched.py).
FUZZ_SRCS_fuzz_sched_arinc653 := hypervisor/lib/sched_arinc653.c
