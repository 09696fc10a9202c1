#!/bin/sh
# Run unit-test binaries and add up their "== name: P passed, F failed" lines.
# A binary that dies (sanitizer report, signal) counts as at least one failure;
# one whose count line is missing fails too, even when it exits 0.
# Last line: "N passed, N failed"; exit 1 on any failure.
passed=0
failed=0
for bin in "$@"; do
    out=$("$bin" 2>&1)
    rc=$?
    printf '%s\n' "$out"
    line=$(printf '%s\n' "$out" | sed -n 's/^== .*: \([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' | tail -n 1)
    p=${line% *}
    f=${line#* }
    if [ -z "$line" ]; then
        # No count: the binary stopped early or is no test at all; either way
        # nothing says its tests ran, so it fails whatever its exit status.
        echo "== $bin: no result line (exit status $rc)"
        p=0
        f=1
    elif [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        echo "== $bin: exited with status $rc"
        f=1
    fi
    passed=$((passed + p))
    failed=$((failed + f))
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
