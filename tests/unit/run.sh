#!/bin/sh
# Run unit-test binaries and add up their "== name: P passed, F failed" lines.
# A binary that dies (sanitizer report, signal) or whose count line is missing
# counts as at least one failure. Last line: "N passed, N failed"; exit 1 on any failure.
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
        p=0
        f=0
    fi
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        echo "== $bin: exited with status $rc"
        f=1
    fi
    passed=$((passed + p))
    failed=$((failed + f))
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
