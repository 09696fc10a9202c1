#!/bin/sh
# make lint: checks that tools can decide, each printing what is wrong.
#   1. formatting: clang-format (.clang-format) over every C file we own
#   2. include rules (docs/style.md §3): lib/ is freestanding and self-contained,
#      core/ does not reach into arch internals, tools/ sees only include/public/,
#      and nobody climbs out of a directory with "../"
#   3. size: no source file over 800 lines
# Files: tracked plus untracked-but-not-ignored, so new work is checked before
# its first commit; build/ is never looked at. Exit 1 if anything is wrong.
set -u
cd "$(dirname "$0")/.." || exit 1
CLANG_FORMAT=${CLANG_FORMAT:-clang-format}
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

c_files=$(list_files 'hypervisor/*.[ch]' 'tests/*.[ch]' 'tools/*.[ch]' 'include/*.[ch]')

# 1. formatting
if [ -n "$c_files" ]; then
    # shellcheck disable=SC2086 # word splitting of the file list is intended
    if ! out=$(printf '%s\n' $c_files | xargs "$CLANG_FORMAT" --dry-run -Werror 2>&1); then
        printf '%s\n' "$out" | grep -o '^[^:]*:[0-9]*:[0-9]*: ' | cut -d: -f1,2 | sort -u -t: -k1,1 |
            while IFS=: read -r f l; do
                echo "lint: $f:$l: not clang-formatted (fix: clang-format -i $f)"
            done
        status=1
    fi
fi

# 2. include rules: "<dir-pattern> <forbidden-include-regex> <why>"
check_includes() {
    dir=$1 bad=$2 why=$3
    for f in $c_files; do
        case $f in $dir) ;; *) continue ;; esac
        grep -nE '^[[:space:]]*#[[:space:]]*include' "$f" | grep -E "$bad" |
            while IFS=: read -r l text; do
                echo "lint: $f:$l: $text  -- $why"
            done
    done
}
lib_ok='<(lib/[a-z0-9_]+\.h|string\.h|stdlib\.h|limits\.h|stddef\.h|stdint\.h|stdbool\.h|stdarg\.h|stdalign\.h|stdnoreturn\.h|float\.h|iso646\.h)>'
includes_out=$(
    check_includes 'hypervisor/lib/*' "include[[:space:]]*[<\"]" "lib/ includes only lib/ and compiler headers" |
        grep -vE "include[[:space:]]*$lib_ok" | grep -vE 'include[[:space:]]*"[a-z0-9_]+\.h"'
    check_includes 'hypervisor/core/*' 'include[[:space:]]*[<"]asm/' "core/ reaches arch code only through hooks declared in include/cloison/"
    check_includes 'tools/*' 'include[[:space:]]*[<"](cloison|lib|asm)/' "tools/ may use include/public/ only"
    check_includes 'hypervisor/*' 'include[[:space:]]*"\.\./' "no ../ includes: use the include paths"
    check_includes 'tools/*' 'include[[:space:]]*".*hypervisor/' "tools/ may use include/public/ only"
)
if [ -n "$includes_out" ]; then
    printf '%s\n' "$includes_out"
    status=1
fi

# 3. size
src_files=$(list_files '*.c' '*.h' '*.S' '*.py' '*.sh' '*.mk')
# shellcheck disable=SC2086
long=$(printf '%s\n' $src_files | xargs wc -l 2>/dev/null | awk -v max=$MAX_LINES '$2 != "total" && $1 > max')
if [ -n "$long" ]; then
    printf '%s\n' "$long" | while read -r n f; do
        echo "lint: $f: $n lines (limit $MAX_LINES): split it by sub-operation"
    done
    status=1
fi

[ $status -eq 0 ] && echo "lint: ok"
exit $status
