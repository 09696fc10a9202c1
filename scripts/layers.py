#!/usr/bin/python3
"""The hypervisor's layers, and their check on the built objects.

Usage: layers.py [BUILD]   (BUILD defaults to build; run after `make all`)

Folders under hypervisor/ are layers (docs/DESIGN.md section 3): a folder may
use only the folders below it, so each can be read, tested and changed with
only what is under it in mind. The include rule in scripts/lint_rules.py
checks what a file *says* it uses; this script checks what the compiled
objects *do* use, read from their symbol tables with aarch64-linux-gnu-nm (a
call through a prototype written by hand, or a global reached through an
extern, shows here and nowhere else). It fails when
  (a) a file-level reference cycle holds files of two folders: the folders
      could then only be understood (and tested) together;
  (b) a folder refers to a symbol defined in a higher folder, other than the
      base services and image entry points allowed below: a higher layer
      reaches down by registering a function pointer at init, never by name;
  (c) a folder holds more than 30% of hypervisor/'s lines (issue 8's bound:
      a folder that large is more than one module).
It prints each violation with its files and symbols, then one line per folder
with its rank, lines and share. Python 3 standard library only.
"""

import collections
import os
import subprocess
import sys

# Bottom to top. A folder under hypervisor/ (or its headers under
# hypervisor/include/<folder>/) is a layer; arch/<anything> is one layer.
# cloison/ (the base interfaces in hypervisor/include/cloison/) and asm/ (the
# arm64 headers in hypervisor/arch/arm64/include/asm/) sit beside arch.
RANK = {
    "lib": 0,
    "arch": 1,
    "cloison": 1,
    "asm": 1,
    "drivers": 2,
    "core": 3,
    "console": 4,
    "vdev": 5,
    "xen": 6,
    "trap": 7,
    "boot": 8,
}

# Base services: declared in include/cloison/ and callable from every layer,
# although their code lives higher (printk in console/, the page allocator and
# heap in core/). They call nothing above themselves but the UART and locks.
# Keep this list short: each entry is a dependency every layer carries.
BASE_SERVICES = {
    "printk": "the hypervisor's log (console/printk.c)",
    "vprintk": "the hypervisor's log (console/printk.c)",
    "guest_log": "a guest-caused event in the log (console/printk.c)",
    "panic": "Cloison's own bug: print and stop (arch/arm64/panic.c)",
    "printk_panic": "panic's way out: past a log lock its CPU may hold, then synchronous",
    "printk_flush": "the log's waiting lines out before the power goes (arch's power-off)",
    "page_alloc": "the page allocator (core/mm.c)",
    "page_alloc_guest": "the page allocator, above the hypervisor's reserve (core/mm.c)",
    "page_free": "the page allocator (core/mm.c)",
    "page_ready_guest": "the page allocator: a lazily mapped guest block's first use (core/mm.c)",
    "page_ready_guest_filled": "the page allocator: a lazy block a builder overwrote whole (core/mm.c)",
    "xmalloc": "the heap (core/mm.c)",
    "xzalloc": "the heap (core/mm.c)",
    "xfree": "the heap (core/mm.c)",
}

# Image entry points: where the CPU comes into the image from outside it (a
# reset or PSCI CPU_ON into boot.S, an exception into vectors.S). The assembly
# hands over to C by name; there is nothing to register with.
ENTRY_POINTS = {
    ("hypervisor/arch/arm64/boot.S", "boot_cpu_main"),
    ("hypervisor/arch/arm64/boot.S", "secondary_cpu_main"),
    ("hypervisor/arch/arm64/vectors.S", "guest_sync_entry"),
    ("hypervisor/arch/arm64/vectors.S", "guest_irq_entry"),
    ("hypervisor/arch/arm64/vectors.S", "guest_serror_entry"),
    ("hypervisor/arch/arm64/vectors.S", "hyp_irq_entry"),
}

MAX_SHARE = 0.30
NM = os.environ.get("NM", "aarch64-linux-gnu-nm")
# Source files whose lines count towards a folder's size.
SOURCE_SUFFIXES = (".c", ".h", ".S", ".c.in")


def layer_of(path):
    """The layer of a repository path under hypervisor/, or None when the path
    is outside every folder (hypervisor/linker.ld, or not under hypervisor/).
    A folder missing from RANK is returned as is, for the caller to report."""
    parts = path.split("/")
    if len(parts) < 3 or parts[0] != "hypervisor":
        return None
    if parts[1] == "arch":
        return "arch"
    if parts[1] == "include":
        return parts[2] if len(parts) > 3 else None
    return parts[1]


def read_objects(build):
    """{source path: object path} for every hypervisor object whose source
    still exists (an object left behind by a removed file is not the image)."""
    objs = {}
    root = os.path.join(build, "hypervisor")
    for dirpath, _, names in os.walk(root):
        for name in names:
            if not name.endswith(".o"):
                continue
            obj = os.path.join(dirpath, name)
            src = os.path.relpath(obj, build)[: -len(".o")]
            if os.path.isfile(src):
                objs[src] = obj
    return objs


def read_symbols(objs):
    """(defined: {symbol: [source]}, used: {source: {symbol}}) from nm.
    Only global symbols: a static one cannot be reached from another file."""
    by_obj = {obj: src for src, obj in objs.items()}
    out = subprocess.run(
        [NM, "-A"] + sorted(by_obj), capture_output=True, text=True, check=True
    ).stdout
    defined = collections.defaultdict(list)
    used = collections.defaultdict(set)
    for line in out.splitlines():
        obj, _, rest = line.partition(":")
        fields = rest.split()
        src = by_obj.get(obj)
        if src is None or len(fields) < 2:
            continue
        kind, sym = fields[-2], fields[-1]
        if kind in ("U", "w", "v"):
            used[src].add(sym)
        elif kind.isupper():
            defined[sym].append(src)
    return defined, used


def file_edges(defined, used):
    """{from file: {to file: {symbols}}}, references between different files."""
    edges = collections.defaultdict(lambda: collections.defaultdict(set))
    for src, syms in used.items():
        for sym in syms:
            for target in defined.get(sym, ()):
                if target != src:
                    edges[src][target].add(sym)
    return edges


def check_unknown_folders(files):
    """Every object's folder must be in RANK, or no rule below can judge it."""
    out = []
    for f in sorted(files):
        layer = layer_of(f)
        if layer is not None and layer not in RANK:
            out.append(f"{f}: folder '{layer}' is not in the layer table (scripts/layers.py RANK)")
    return out


def check_upward_references(edges):
    """(b): a reference to a higher folder, unless allowed above."""
    out = []
    for src in sorted(edges):
        for target in sorted(edges[src]):
            low, high = layer_of(src), layer_of(target)
            if low not in RANK or high not in RANK or RANK[high] <= RANK[low]:
                continue
            syms = sorted(
                s
                for s in edges[src][target]
                if s not in BASE_SERVICES and (src, s) not in ENTRY_POINTS
            )
            if syms:
                out.append(
                    f"{low} -> {high} (rank {RANK[low]} -> {RANK[high]}): {src} uses "
                    f"{', '.join(syms)} from {target}"
                )
    return out


def strongly_connected(edges):
    """Tarjan's algorithm without recursion: the components with more than one file."""
    nodes = sorted(set(edges) | {t for s in edges for t in edges[s]})
    index, low, on_stack, stack, comps = {}, {}, set(), [], []
    counter = 0
    for root in nodes:
        if root in index:
            continue
        work = [(root, iter(sorted(edges.get(root, ()))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            v, children = work[-1]
            advanced = False
            for w in children:
                if w not in index:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(sorted(edges.get(w, ())))))
                    advanced = True
                    break
                if w in on_stack:
                    low[v] = min(low[v], index[w])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[v])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                if len(comp) > 1:
                    comps.append(sorted(comp))
    return comps


def check_cycles(edges):
    """(a): a file cycle through two folders, with the references that cross
    folders inside it, marked up or down (break an upward one to split the
    cycle). Base services count here: one that calls back into a file of its
    callers makes a cycle like any other reference. Image entry points do not:
    the CPU, not the assembly, depends on them, and boot.S naming
    boot_cpu_main while setup.c names secondary_entry (for PSCI CPU_ON) is a
    cycle no code can break."""
    graph = collections.defaultdict(dict)
    for src in edges:
        for target, syms in edges[src].items():
            kept = {s for s in syms if (src, s) not in ENTRY_POINTS}
            if kept:
                graph[src][target] = kept
    edges = graph
    out = []
    for comp in strongly_connected(edges):
        layers = sorted({layer_of(f) for f in comp}, key=lambda x: (RANK.get(x, 99), x))
        if len(layers) < 2:
            continue
        members = set(comp)
        out.append(f"cycle of {len(comp)} files across {', '.join(layers)}:")
        for src in comp:
            for target in sorted(edges[src]):
                low, high = layer_of(src), layer_of(target)
                if target in members and low != high:
                    up = "up  " if RANK.get(high, 99) > RANK.get(low, 99) else "down"
                    syms = ", ".join(sorted(edges[src][target]))
                    out.append(f"    {up} {src} -> {target}: {syms}")
    return out


def folder_lines(top="hypervisor"):
    """({layer: lines}, total lines) of the source files under top."""
    lines = collections.Counter()
    total = 0
    for dirpath, _, names in os.walk(top):
        for name in names:
            if not name.endswith(SOURCE_SUFFIXES):
                continue
            path = os.path.join(dirpath, name)
            with open(path, encoding="utf-8", errors="replace") as f:
                n = sum(1 for _ in f)
            total += n
            layer = layer_of(path)
            if layer is not None:
                lines[layer] += n
    return lines, total


def check_sizes(lines, total):
    """(c): the share of each folder, and the lines over the bound."""
    summary, out = [], []
    for layer in sorted(lines, key=lambda x: (RANK.get(x, 99), x)):
        share = lines[layer] / total if total else 0.0
        summary.append(
            f"{layer:8} rank {RANK.get(layer, '?')}  {lines[layer]:6} lines  {100 * share:5.1f}%"
        )
        if share > MAX_SHARE:
            out.append(
                f"{layer} holds {100 * share:.1f}% of hypervisor/'s {total} lines "
                f"(limit {100 * MAX_SHARE:.0f}%): split it"
            )
    return summary, out


def main():
    build = sys.argv[1] if len(sys.argv) > 1 else "build"
    objs = read_objects(build)
    if not objs:
        print(f"layers: no hypervisor objects under {build}/hypervisor (run make all first)")
        return 1
    defined, used = read_symbols(objs)
    edges = file_edges(defined, used)
    problems = (
        check_unknown_folders(objs)
        + check_upward_references(edges)
        + check_cycles(edges)
    )
    summary, too_big = check_sizes(*folder_lines())
    problems += too_big
    for p in problems:
        print(f"layers: {p}")
    for s in summary:
        print(f"layers: {s}")
    nviol = sum(1 for p in problems if not p.startswith("    "))
    print(f"layers: {len(objs)} objects, {nviol} violations")
    return 1 if nviol else 0


if __name__ == "__main__":
    sys.exit(main())
