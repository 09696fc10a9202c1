#!/bin/sh
# make lint: checks that tools can decide, each printing what is wrong as
# "lint: FILE[:LINE]: what -- rule". One function per check below.
#   check_format        clang-format (.clang-format) over every C file we own
#   check_file_size     no source file over 800 lines
#   check_source_rules  scripts/lint_rules.py: include layering, lib/ freestanding,
#                       no "../" includes, tools/ sees only include/public/, no
#                       assembly outside arch/ and lib/, only xen/ copies guest
#                       memory, no function over 80 lines, no comment citing a
#                       file that does not exist
#   check_object_layers scripts/layers.py on the built objects: no upward
#                       reference, no file cycle across folders, no folder over
#                       30% of hypervisor/ (needs a build: `make lint` builds first)
# Files: tracked plus untracked-but-not-ignored, so new work is checked before
# its first commit; build/ is never looked at. Exit 1 if anything is wrong.
set -u
cd "$(dirname "$0")/.." || exit 1
CLANG_FORMAT=${CLANG_FORMAT:-clang-format}
PYTHON=${PYTHON:-/usr/bin/python3}
BUILD=${BUILD:-build}
MAX_LINES=800
status=0

# NUL-free list of candidate files, one per line (no C file here has a newline in its name).
list_files() {
    if git rev-parse --git-dir >/dev/null 2>&1; then
        git ls-files --cached --others --exclude-standard -- "$@"
    else
        find hypervisor tests tools include scripts -type f 2>/dev/null
    fi | grep -v '^build/' | while read -r f; do [ -f "$f" ] && echo "$f"; done
}

# One formatting, checked by a tool: reviews discuss content, not layout.
check_format() {
    c_files=$(list_files 'hypervisor/*.[ch]' 'tests/*.[ch]' 'tools/*.[ch]' 'include/*.[ch]')
    [ -n "$c_files" ] || return 0
    # shellcheck disable=SC2086 # word splitting of the file list is intended
    if ! out=$(printf '%s\n' $c_files | xargs "$CLANG_FORMAT" --dry-run -Werror 2>&1); then
        printf '%s\n' "$out" | grep -o '^[^:]*:[0-9]*:[0-9]*: ' | cut -d: -f1,2 | sort -u -t: -k1,1 |
            while IFS=: read -r f l; do
                echo "lint: $f:$l: not clang-formatted (fix: clang-format -i $f)"
            done
        return 1
    fi
}

# Small files with one job each: a file past 800 lines holds more than one.
check_file_size() {
    src_files=$(list_files '*.c' '*.h' '*.S' '*.py' '*.sh' '*.mk')
    # shellcheck disable=SC2086
    long=$(printf '%s\n' $src_files | xargs wc -l 2>/dev/null | awk -v max=$MAX_LINES '$2 != "total" && $1 > max')
    [ -z "$long" ] && return 0
    printf '%s\n' "$long" | while read -r n f; do
        echo "lint: $f: $n lines (limit $MAX_LINES): split it by sub-operation"
    done
    return 1
}

# Rules read from the sources (each explained where it is written).
check_source_rules() {
    "$PYTHON" scripts/lint_rules.py
}

# Layering as the compiler saw it: only the objects show a call through a
# prototype written by hand. Without a build (sh scripts/lint.sh on a fresh
# clone) it is skipped, and says so; `make lint` always builds first.
check_object_layers() {
    if [ ! -d "$BUILD/hypervisor" ]; then
        echo "lint: layers: skipped, nothing built in $BUILD/ (make lint builds the image first)"
        return 0
    fi
    "$PYTHON" scripts/layers.py "$BUILD"
}

for check in check_format check_file_size check_source_rules check_object_layers; do
    $check || status=1
done

[ $status -eq 0 ] && echo "lint: ok"
exit $status
