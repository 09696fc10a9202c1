#!/usr/bin/python3
"""The source rules of `make lint` (run by scripts/lint.sh; Python 3 standard
library only). Each check_* function is one rule: it says why the rule exists
and returns (path, line, message) for every place that breaks it. The tree's
files are git's tracked and untracked-but-not-ignored ones (so new work is
checked before its first commit), never build/. Exit status 1 if anything is
wrong; each problem is printed as "lint: FILE:LINE: what -- rule".

Usage: lint_rules.py   (from anywhere: it checks the tree it belongs to)
"""

import fnmatch
import glob
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import csource  # noqa: E402
from layers import RANK, layer_of  # noqa: E402

MAX_FUNCTION_LINES = 80
GUEST_COPY_HEADER = "hypervisor/include/xen/guest_copy.h"
C_SUFFIXES = (".c", ".h", ".c.in")


def tree_files():
    """Every file of the tree, as check_* functions see it."""
    try:
        out = subprocess.run(
            ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.splitlines()
    except (OSError, subprocess.CalledProcessError):
        out = [
            os.path.relpath(os.path.join(d, n))
            for top in ("hypervisor", "include", "tests", "tools", "scripts", "config")
            for d, _, names in os.walk(top)
            for n in names
        ]
    return sorted(f for f in out if not f.startswith("build/") and os.path.isfile(f))


_sources = {}


def source(path):
    if path not in _sources:
        _sources[path] = csource.read(path)
    return _sources[path]


def under(path, *dirs):
    return any(path.startswith(d.rstrip("/") + "/") for d in dirs)


def includes(path):
    """(line, quote, target) of each #include directive (not those in comments)."""
    src = source(path)
    code_lines = src.code.split("\n")
    for n, line in enumerate(src.text.split("\n"), 1):
        if not re.match(r"\s*#\s*include\b", code_lines[n - 1]):
            continue
        m = re.match(r'\s*#\s*include\s*([<"])([^>"]*)[>"]', line)
        if m:
            yield n, m.group(1), m.group(2)


def spelled(quote, target):
    return f"#include {quote}{target}{'>' if quote == '<' else quote}"


# ---- include rules --------------------------------------------------------


def check_include_layers(files):
    """A folder includes only its own layer and those below (RANK in
    scripts/layers.py): what a file includes is what it may call, so an
    include that climbs a layer is an upward dependency, the start of a call
    cycle between folders. public/ (the Xen ABI, include/public/) and lib/
    are for every folder. lib/'s own files follow the stricter
    check_lib_freestanding. An include with a folder that is no layer
    (<host/...>, <sys/...>) is no part of the hypervisor either."""
    for f in files:
        layer = layer_of(f)
        if layer is None or layer == "lib" or not f.endswith(C_SUFFIXES + (".S",)):
            continue
        if layer not in RANK:
            yield f, 1, (
                f"hypervisor folder '{layer}' is not a layer "
                "(add it to RANK in scripts/layers.py)"
            )
            continue
        for n, quote, target in includes(f):
            if "/" not in target or target.startswith("../"):
                continue  # a header of the same folder, compiler or libfdt; "../" has its own rule
            top = target.split("/", 1)[0]
            if top in ("public", "lib"):
                continue
            if top not in RANK:
                yield f, n, (
                    f"{spelled(quote, target)}: '{top}/' is not a layer "
                    "-- hypervisor code includes only layer folders, public/ and lib/"
                )
            elif RANK[top] > RANK[layer]:
                yield f, n, (
                    f"{spelled(quote, target)}: {layer} (rank {RANK[layer]}) includes {top} "
                    f"(rank {RANK[top]}) -- a layer includes only itself and lower layers"
                )


# What lib/ may include: its own headers and the freestanding C headers.
LIB_SYSTEM_HEADERS = {
    "string.h", "stdlib.h", "limits.h", "stddef.h", "stdint.h", "stdbool.h", "stdarg.h",
    "stdalign.h", "stdnoreturn.h", "float.h", "iso646.h",
}


def check_lib_freestanding(files):
    """lib/ is freestanding and self-contained: its algorithms build unchanged
    into the hypervisor, the test guests and the host unit tests, so it
    includes nothing but lib/ headers, its folder's own headers and the
    compiler's freestanding headers."""
    for f in files:
        if not under(f, "hypervisor/lib") or not f.endswith(C_SUFFIXES):
            continue
        for n, quote, target in includes(f):
            ok = (
                (quote == "<" and re.fullmatch(r"lib/[a-z0-9_]+\.h", target))
                or (quote == "<" and target in LIB_SYSTEM_HEADERS)
                or (quote == '"' and re.fullmatch(r"[a-z0-9_]+\.h", target))
            )
            if not ok:
                yield f, n, (
                    f"{spelled(quote, target)} -- lib/ includes only lib/ and the compiler's "
                    "freestanding headers"
                )


def check_no_parent_includes(files):
    """No "../" in an include: a file climbing out of its directory depends on
    where it sits, and hides the dependency from the include-path rules."""
    for f in files:
        if not under(f, "hypervisor", "include") or not f.endswith(C_SUFFIXES + (".S",)):
            continue
        for n, quote, target in includes(f):
            if "../" in target:
                yield f, n, f"{spelled(quote, target)} -- no ../ includes: use the include paths"


def check_tools_public_only(files):
    """tools/ (the dom0 toolstack, when it lands) talks to Cloison only
    through the ABI: it may include include/public/, never hypervisor headers.
    Nothing is under tools/ yet; the rule is kept so the first file is held
    to it."""
    for f in files:
        if not under(f, "tools") or not f.endswith(C_SUFFIXES):
            continue
        for n, quote, target in includes(f):
            top = target.split("/", 1)[0] if "/" in target else ""
            if top in RANK or "hypervisor/" in target:
                yield f, n, f"{spelled(quote, target)} -- tools/ may use include/public/ only"


# ---- what only some folders may do -----------------------------------------

ASM_RE = re.compile(
    r"\b(?:__asm__|__asm|asm)\b(?:\s+(?:volatile|__volatile__|__volatile|goto|inline))*\s*\("
)


def check_inline_asm(files):
    """Assembly (inline asm, or an .S file) only in hypervisor/arch/ and
    hypervisor/lib/: everything else is portable C over the arch_* hooks, so
    a second architecture (or a host unit test) replaces arch/ alone. Headers
    under hypervisor/include/ and include/ count as outside. Test guests
    (tests/) are bare-metal programs and exempt."""
    for f in files:
        if not under(f, "hypervisor", "include") or under(f, "hypervisor/arch", "hypervisor/lib"):
            continue
        if f.endswith((".S", ".s")):
            yield f, 1, (
                "assembly source outside hypervisor/arch/ -- no assembly outside arch/ and lib/"
            )
            continue
        if not f.endswith(C_SUFFIXES):
            continue
        src = source(f)
        for m in ASM_RE.finditer(src.code):
            yield f, src.line_of(m.start()), (
                f"inline assembly ({m.group(0).rstrip('( ')}) -- no assembly outside arch/ and "
                "lib/: move it behind an arch_* hook"
            )


def guest_copy_functions():
    """The functions (and function-like macros) guest_copy.h declares."""
    names = {"copy_from_guest", "copy_to_guest"}
    if os.path.isfile(GUEST_COPY_HEADER):
        src = source(GUEST_COPY_HEADER)
        names |= set(re.findall(r"#\s*define\s+([A-Za-z_]\w*)\(", src.code))
        for decl in src.code_npp.split(";"):
            if re.match(r"\s*typedef\b", decl):
                continue
            # name ( parameters, which may hold one level of parentheses ) [attributes]
            m = re.search(
                r"\b([A-Za-z_]\w*)\s*\([^()]*(?:\([^()]*\)[^()]*)*\)\s*(?:__attribute__.*)?$",
                decl.strip(),
                re.S,
            )
            if m and m.group(1) not in csource.NOT_FUNCTION_NAMES:
                names.add(m.group(1))
    return sorted(names)


def check_guest_copy_callers(files):
    """Only hypervisor/xen/ (with its headers in include/xen/) reads or writes
    guest memory for the ABI, through the guest_copy.h functions: the one
    folder where every guest pointer is copied in, validated and copied out,
    so no other layer can be handed a guest address to trust."""
    names = guest_copy_functions()
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, names)) + r")\b")
    for f in files:
        layer = layer_of(f)
        if layer is None or layer == "xen" or not f.endswith(C_SUFFIXES + (".S",)):
            continue
        src = source(f)
        for m in pattern.finditer(src.code):
            yield f, src.line_of(m.start()), (
                f"{m.group(1)} outside xen/ -- only xen/ copies to and from guest memory "
                f"({GUEST_COPY_HEADER})"
            )


# ---- size --------------------------------------------------------------------


def check_function_length(files):
    """No hypervisor function longer than 80 lines, counted from the line of
    its opening brace to the line of its closing brace, both included (the
    signature above the brace is not counted). A longer function is more
    than one step: name the steps as functions. Found by csource.functions
    (braces in comments, strings and preprocessor lines are not counted)."""
    for f in files:
        if not under(f, "hypervisor") or not f.endswith(C_SUFFIXES):
            continue
        for name, first, last in csource.functions(source(f)):
            n = last - first + 1
            if n > MAX_FUNCTION_LINES:
                yield f, first, (
                    f"{name}() is {n} lines (limit {MAX_FUNCTION_LINES}, brace to brace) "
                    "-- split it into named steps"
                )


# ---- comments ----------------------------------------------------------------

# A cited source path: word characters, "/", ".", "-" and "*" (a glob such as
# evtchn*.c), ending in .c, .h or .S, standing alone (not part of a longer word).
CITED_PATH = re.compile(r"(?<![\w./*-])([\w*][\w./*-]*\.(?:c|h|S))(?![\w/]|\.\w)")
# A citation right after another project's name is that project's file.
OTHER_PROJECT = re.compile(r"\b(?:Linux|Xen|KVM|Bao|QEMU|U-Boot|Hafnium|libfdt|glibc)(?:'s)?\s*$")
# Files that exist only in build/ (generated), cited on purpose.
GENERATED = {"asm-offsets.h"}


def comments_of(path):
    """(line, text) of the comments of a C file, or of the full-line "#"
    comments of a Makefile fragment, shell or Python script."""
    if path.endswith(C_SUFFIXES + (".S",)):
        src = source(path)
        for n, line in enumerate(src.comments.split("\n"), 1):
            if line.strip():
                yield n, line
    elif path.endswith((".mk", ".sh", ".py")) or os.path.basename(path) in ("Makefile", "run"):
        with open(path, encoding="utf-8", errors="replace") as fh:
            for n, line in enumerate(fh, 1):
                if line.lstrip().startswith("#"):
                    yield n, line


def cited_file_exists(cited, tree):
    """A citation names a file when some path of the tree ends with it (glob
    allowed), when it is a system or compiler header, or a generated file."""
    p = cited[2:] if cited.startswith("./") else cited
    if os.path.basename(p) in GENERATED:
        return True
    if any(fnmatch.fnmatchcase(f, p) or fnmatch.fnmatchcase(f, "*/" + p) for f in tree):
        return True
    return bool(glob.glob("/usr/include/" + p) or glob.glob("/usr/lib/gcc/*/*/include/" + p))


def check_stale_file_references(files):
    """A comment that cites a .c, .h or .S file names one that exists: a
    reader following a stale reference (a file since moved or never written)
    finds nothing, or worse, the wrong file. A citation of another project's
    file ("Linux's include/uapi/xen/privcmd.h") is not checked."""
    for f in files:
        for n, line in comments_of(f):
            for m in CITED_PATH.finditer(line):
                if OTHER_PROJECT.search(line[: m.start()]):
                    continue
                if not cited_file_exists(m.group(1), files):
                    yield f, n, (
                        f"comment cites {m.group(1)}, which is not in the tree "
                        "-- fix or drop the reference"
                    )


CHECKS = [
    check_include_layers,
    check_lib_freestanding,
    check_no_parent_includes,
    check_tools_public_only,
    check_inline_asm,
    check_guest_copy_callers,
    check_function_length,
    check_stale_file_references,
]


def main():
    os.chdir(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    files = tree_files()
    problems = 0
    for check in CHECKS:
        for path, line, msg in check(files):
            print(f"lint: {path}:{line}: {msg}")
            problems += 1
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
