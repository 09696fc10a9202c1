# lib/heap.c op sequences over a page provider with a budget.
# Seed corpus: tests/fuzz/corpus/heap/ (tests/fuzz/mkseeds_boot.py).
FUZZ_SRCS_fuzz_heap := hypervisor/lib/heap.c
