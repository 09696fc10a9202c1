#!/usr/bin/env python3
"""Write the seed corpora of the scheduling-policy fuzzers into
tests/fuzz/corpus/sched_null/ and tests/fuzz/corpus/sched_arinc653/
(committed): a few op sequences each showing one thing the policy does, so
mutations start from shapes that reach the interesting paths. Run from
anywhere: python3 tests/fuzz/mkseeds_sched.py
"""

from seeds_io import write


# fuzz_sched_null: 2 bytes of pCPUs, then (op, a, b): 0 insert, 1 remove, 2 wake,
# 3 sleep, 4 affinity, 5 cpu add, 6 cpu remove, 7 time, 8 pick.
def null_ops(*ops):
    return [b for op in ops for b in op]


INS = [(0, s, 0) for s in range(6)]
WAKE = [(2, s, 0) for s in range(6)]
write("sched_null", {
    "more_items_than_cpus": [0x0f, 0x00] + null_ops(*INS, *WAKE, (1, 1, 0), (1, 2, 0)),
    "cpu_churn": [0x03, 0x00] + null_ops(*INS[:4], *WAKE[:4], (5, 0, 7), (6, 0, 0), (6, 0, 1),
                                         (5, 0, 9), (7, 0, 50)),
    "affinity": [0x0f, 0x00] + null_ops(*INS, *WAKE, (4, 0, 8), (4, 5, 1), (3, 1, 0),
                                        (1, 3, 0), (4, 4, 0x40)),
})


# fuzz_sched_arinc653: 1 byte of pCPUs, then (op, a): 0 insert, 1 remove, 2 wake,
# 3 sleep, 4 pin, 5 cpu add, 6 cpu remove, 7 time, 8 schedule (+ bytes), 9 pick.
def sched(major_scale, major, windows):
    out = [8, 0, major_scale, major, len(windows)]
    for dom_byte, rt, rt_scale in windows:
        out += [dom_byte, rt, rt_scale]
    return out


A653_UP = [b for s in range(4, 10) for b in (0, s, 2, s)]
write("sched_arinc653", {
    "three_windows": [0x01] + A653_UP + sched(1, 10, [(3, 2, 1), (4, 3, 1), (3 | 8, 1, 1)])
    + [7, 200, 7, 201, 3, 6, 7, 150, 2, 6, 7, 202],
    "dom0_default": [0x03] + [0, 0, 0, 1, 2, 0, 2, 1, 7, 210, 7, 210, 6, 0, 7, 211],
    "by_id_and_bad": [0x06] + A653_UP[:8] + sched(1, 4, [(0x81, 1, 1), (0x82, 1, 1)])
    + [7, 100] + sched(1, 1, [(3, 2, 1)]) + [7, 100, 4, 0x26, 7, 100],
})
