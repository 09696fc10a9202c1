#!/usr/bin/python3
"""Toolstack benchmark: Debian's xl 4.17 in dom0, under Cloison beside Xen 4.17 in the same QEMU.

The toolstack dom0 of tests/integration/test_toolstack.py (Debian's kernel, Debian's
xen-utils-4.17, oxenstored, xenconsoled) with a small overlay (overlay_fs below): the
`tsbench` helper, the `idle` test guest as /etc/xen/small.cfg, and xenconsoled logging
the guests' consoles (XENCONSOLED_ARGS="--log=guest" in /etc/default/xen). Measured:

  xl create -> first console line   `xl create /etc/xen/demo.cfg` (Debian's kernel and
      busybox initramfs, 128 MiB, 1 vCPU) until the domU's console log has its first
      line; also until its userspace marker line; median of --reps;
  xl destroy                        `xl destroy demo` once it runs; median of --reps;
  both with 1 and with --many (50) small domains already running: the `idle` test guest
      (tests/guests/cases/idle.c: one line, then WFI with a 1 Hz timer), 4 MiB, 1 vCPU,
      no devices; its own create and destroy times (median) are printed too;
  PV disk                           in /etc/xen/linux.cfg's domU: dd of 32 MiB of zeros
      to /dev/xvda (conv=fsync), then back after dropping the page cache; its xvda is
      a file in dom0's RAM on a loop device (Debian's `block` hotplug script, blkback);
  PV net                            16 MiB over xenbr0 (netback, vif-bridge) with
      busybox httpd and wget: dom0 -> domU (the domU fetches) and domU -> dom0.

Every time is measured inside a guest, by its own clock around the command (bash's
EPOCHREALTIME in dom0, CLOCK_MONOTONIC from /proc/timer_list in the domU's busybox
shell), and printed by it. Two QEMU modes:

  wall     a free-running QEMU (multi-threaded TCG): the guests' clocks follow the
           host's, so these are wall-clock figures, with this host's noise;
  icount   `-icount shift=0,sleep=off` on one pCPU: one instruction is one virtual
           nanosecond and idle time is skipped, so a figure counts the instructions
           executed meanwhile (guests and hypervisor) plus the timer waits: the same
           build gives the same figure whatever the host's load (seen: within 0.5%
           from one run to the next; not bit-exact, because when a typed command
           arrives, in virtual time, depends on the host). Real time per virtual
           second depends on how busy the machine is: a session where the guests
           spin is slow to run, whatever its figures.

Sessions run interleaved: cloison, xen, cloison, xen ... (one QEMU boot each), wall
then icount, --rounds times. Ratios are Cloison / Xen 4.17 (below 1: Cloison faster;
for throughputs, above 1: Cloison faster). A step a hypervisor cannot do yet prints
n/a with the reason (the first error xl printed), never fails the whole run.

Run: /usr/bin/python3 bench/toolstack.py [--many 50|0] [--reps 3] [--rounds 1]
[--modes wall,icount]. Needs `make`, `make guests-fetch` and scripts/fetch-xen.sh.
For reading, not asserting (not part of `make check`).
"""

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "integration"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
import qemu  # noqa: E402
import test_toolstack as ts  # noqa: E402
from mkinitramfs import Cpio  # noqa: E402

HVS = ["cloison", "xen"]
# mode: (pCPUs, extra QEMU arguments). Xen 4.17 on 2 pCPUs does not boot under QEMU's
# -icount (it stops at "Adding cpu 1 to runqueue 0", with or without sleep=off), so the
# deterministic figures are taken on one pCPU, for both hypervisors.
MODES = {"wall": (ts.SMP, ()), "icount": (1, ("-icount", "shift=0,sleep=off"))}
SMALL_MIB = 4
DISK_MIB = 32
NET_MIB = 16
IMAGES = "/var/lib/xen/images"
LOGS = qemu.BUILD / "bench"
TOOLS_ROOT = qemu.REPO / ".cache" / "xen-tools" / "root"

# The dom0 side of every measurement: one command per step, typed on dom0's
# console; each prints `TSB key=value ...` (nanoseconds by dom0's clock) or
# `TSB-FAIL <what went wrong>` and exits non-zero.
TSBENCH = r"""#!/bin/bash
# tsbench STEP ARGS: bench/toolstack.py's steps, timed with dom0's clock (ns).
log=/var/log/xen/console
now() { echo $(( ${EPOCHREALTIME/./} * 1000 )); }   # bash's clock, us -> ns
fail() { echo "TSB-FAIL $*"; exit 1; }
# xl's output when it fails: its first error line, else its last line.
why() { { grep -m1 -i 'error' /tmp/tsb.out || tail -n1 /tmp/tsb.out; } | tr -s ' \t' ' '; }
# until FILE has a line matching RE, or SECONDS pass (virtual ones under -icount)
wait_log() {
    local dead=$(( $(now) + $3 * 1000000000 ))
    until grep -q -- "$2" "$1" 2>/dev/null; do
        [ "$(now)" -lt $dead ] || return 1
        usleep 20000
    done
}
case $1 in
create)   # create CFG NAME: xl create, until it returns
    t0=$(now); xl create "$2" "name=\"$3\"" >/tmp/tsb.out 2>&1 || fail "xl create: $(why)"
    echo "TSB create_ns=$(( $(now) - t0 ))" ;;
first)    # first CFG NAME: xl create; until the console's first line; until userspace
    f=$log/guest-$3.log; rm -f "$f"
    t0=$(now); xl create "$2" >/tmp/tsb.out 2>&1 || fail "xl create: $(why)"
    t1=$(now)
    wait_log "$f" '' 300 || fail "no console line from $3 within 300 s"
    t2=$(now)
    wait_log "$f" CLOISON-LINUX-UP 600 || fail "$3 did not reach userspace within 600 s"
    echo "TSB create_ns=$(( t1 - t0 )) first_ns=$(( t2 - t0 )) up_ns=$(( $(now) - t0 ))" ;;
destroy)  # destroy NAME
    t0=$(now); xl destroy "$2" >/tmp/tsb.out 2>&1 || fail "xl destroy: $(why)"
    echo "TSB destroy_ns=$(( $(now) - t0 ))" ;;
many)     # many FIRST LAST: small domains sFIRST..sLAST, each create timed
    for i in $(seq "$2" "$3"); do "$0" create /etc/xen/small.cfg "s$i" || exit 1; done ;;
unmany)   # unmany FIRST LAST
    for i in $(seq "$2" "$3"); do "$0" destroy "s$i" || exit 1; done ;;
running)  # running: how many small domains xl lists as running or blocked
    echo "TSB running=$(xl list | grep -c -E '^s[0-9]+ .* (r-----|-b----) ')" ;;
list)     # list: xl list, timed; the domains it shows, the small ones running or blocked
    t0=$(now); xl list >/tmp/tsb.list 2>&1 || fail "xl list: $(head -c 200 /tmp/tsb.list)"
    t1=$(now)
    echo "TSB list_ns=$(( t1 - t0 )) domains=$(( $(wc -l </tmp/tsb.list) - 1 ))" \
         "running=$(grep -c -E '^s[0-9]+ .* (r-----|-b----) ' /tmp/tsb.list)" \
         "$(awk '$1 == "Domain-0" { d = $6 } $1 ~ /^s[0-9]+$/ { s += $6 }
                 END { printf "dom0_cpu_s=%s small_cpu_s=%.1f", d, s }' /tmp/tsb.list)" ;;
free)     # free: xl info's free_memory (MiB)
    echo "TSB free_mib=$(xl info | sed -n 's/^free_memory *: *//p')" ;;
serve)    # serve MIB: MIB of zeros on busybox httpd, port 8000
    mkdir -p /srv && dd if=/dev/zero of=/srv/blob bs=1M count="$2" 2>/dev/null &&
        busybox httpd -p 8000 -h /srv || fail "httpd"
    echo "TSB serving=$2" ;;
get)      # get URL: fetch it, timed
    t0=$(now); wget -q -O /tmp/tsb.got "$2" || fail "wget $2"
    echo "TSB get_ns=$(( $(now) - t0 )) bytes=$(stat -c %s /tmp/tsb.got)"; rm -f /tmp/tsb.got ;;
*) fail "usage: tsbench create|first|destroy|many|unmany|running|list|free|serve|get" ;;
esac
"""

# Typed into the domU's busybox shell first, one line each (typed lines stay short:
# see LoggedConsole). busybox's date has no %N: ns is CLOCK_MONOTONIC from
# /proc/timer_list ("now at <ns> nsecs", its third line); T CMD times CMD; cold CMD
# runs it with the page cache dropped.
DOMU_HELPERS = ["ns() { sed -n 3p /proc/timer_list | cut -d' ' -f3; }",
                "T() { t0=$(ns); \"$@\" 2>/dev/null && echo TSB ns=$(( $(ns) - t0 )); }",
                "cold() { sync; echo 3 >/proc/sys/vm/drop_caches; \"$@\"; }",
                "mkdir -p /srv"]

SMALL_CFG = f"""# bench/toolstack.py's small domain: the idle test guest (one line, on console_io
# where the hypervisor allows it, then WFI with a 1 Hz timer), no devices.
name = "small"
kernel = "{IMAGES}/idle.img"
memory = {SMALL_MIB}
vcpus = 1
"""


def overlay_fs(workdir: Path) -> Path:
    """dom0fs.cpio followed by the bench's own archive (the kernel unpacks both, the
    later files over the earlier)."""
    base = qemu._need(ts.DOM0FS, "run `make guests-fetch`")
    idle = qemu._need(qemu.GUESTS / "idle.img", "run `make`")
    template = qemu._need(TOOLS_ROOT / "usr/share/xen-utils-common/default.xen",
                          "run scripts/fetch-xen-tools.py")
    c = Cpio()
    for d in ("usr/local", "usr/local/bin", "var/log/xen/console"):
        c.dir(d)
    c.file("usr/local/bin/tsbench", TSBENCH.encode(), 0o755)
    c.file(f"{IMAGES[1:]}/idle.img", idle.read_bytes())
    c.file("etc/xen/small.cfg", SMALL_CFG.encode())
    c.file("etc/default/xen", template.read_bytes()
           + b'\n# bench/toolstack.py: the guests\' consoles in /var/log/xen/console\n'
           + b'XENCONSOLED_ARGS="--log=guest"\n')
    out = workdir / "dom0fs-bench.cpio"
    out.write_bytes(base.read_bytes() + c.finish())
    return out


class NA(Exception):
    """A step that could not be measured; the reason is printed beside n/a."""


class Bench:
    """One QEMU session: dom0's console, each step's figures into self.got."""

    def __init__(self, con: qemu.Console, hv: str, mode: str):
        self.s = ts.Session(con, hv)
        self.con, self.hv, self.mode = con, hv, mode
        self.got: dict[str, list[float]] = {}
        self.why: dict[str, str] = {}

    def put(self, key: str, value: float) -> None:
        self.got.setdefault(key, []).append(value)

    def na(self, keys, reason: str) -> None:
        for k in keys:
            self.why.setdefault(k, reason)

    def tsb(self, args: str, timeout: float = ts.STEP) -> dict:
        """Run `tsbench args` in the shell that has the console: its TSB figures."""
        try:
            rc, out = self.s.sh(f"tsbench {args}" if not args.startswith("!") else args[1:],
                                timeout)
        except qemu.Expired as e:
            raise NA(f"`{args}`: no answer within {timeout:.0f} s "
                     f"({str(e).splitlines()[0][:80]})") from None
        fail = re.search(r"^TSB-FAIL (.*)$", out, re.M)
        if fail or rc != 0:
            raise NA(fail.group(1).strip() if fail else f"`{args}` exited {rc}")
        vals = {}
        for m in re.finditer(r"^TSB (.*)$", out, re.M):
            vals.update(kv.split("=", 1) for kv in m.group(1).split())
        return vals

    def step(self, keys: list[str], fn) -> bool:
        """fn() measures keys; an NA marks them all n/a. True when it worked."""
        try:
            fn()
            return True
        except NA as e:
            self.na(keys, str(e))
            return False

    # -- the steps --
    def boot(self) -> None:
        t0 = time.monotonic()
        try:
            up = self.con.expect(r"CLOISON-DOM0FS-UP xen=(\S+) xenstored=(\S+) "
                                 r"xenconsoled=(\S+) bridge=(\S+) kernel=\S+\r*\n",
                                 ts.BOOT_TIMEOUT * 3, since=0)
            self.s.in_dom0(300)
        except qemu.Expired as e:
            raise NA(f"dom0 did not come up: {str(e).splitlines()[0][:100]}") from None
        if up.group(1) != "0" or up.group(3) != "yes":
            raise NA(f"the toolstack did not start: {up.group(0).strip()}")
        self.put("boot", time.monotonic() - t0)

    def linux_cycles(self, n: int, reps: int) -> None:
        """reps x (xl create demo.cfg, first line, userspace, xl destroy), n running."""
        for _ in range(reps):
            v = self.tsb("first /etc/xen/demo.cfg demo", ts.DOMU_BOOT * 3)
            self.put(f"create_{n}", int(v["create_ns"]) / 1e9)
            self.put(f"first_{n}", int(v["first_ns"]) / 1e9)
            self.put(f"up_{n}", int(v["up_ns"]) / 1e9)
            self.put(f"destroy_{n}", int(self.tsb("destroy demo")["destroy_ns"]) / 1e9)

    def small_domains(self, first: int, last: int) -> None:
        rc, out = self.s.sh(f"tsbench many {first} {last}", (last - first + 1) * 300)
        for m in re.finditer(r"^TSB create_ns=(\d+)", out, re.M):
            self.put("small_create", int(m.group(1)) / 1e9)
        fail = re.search(r"^TSB-FAIL (.*)$", out, re.M)
        if fail or rc != 0:
            raise NA(fail.group(1).strip() if fail else f"tsbench many exited {rc}")
        running = int(self.tsb("running")["running"])
        if running != last:
            raise NA(f"{running} small domains running, {last} created")

    def small_destroy(self, last: int) -> None:
        rc, out = self.s.sh(f"tsbench unmany 1 {last}", last * 300)
        for m in re.finditer(r"^TSB destroy_ns=(\d+)", out, re.M):
            self.put("small_destroy", int(m.group(1)) / 1e9)
        if rc != 0:
            raise NA(f"tsbench unmany exited {rc}")

    def disk_net(self) -> None:
        """linux.cfg's domU: dd to and from xvda, then NET_MIB each way over xenbr0."""
        self.tsb(f"serve {NET_MIB}")
        self.tsb("first /etc/xen/linux.cfg linux", ts.DOMU_BOOT * 3)
        self.s.attach("linux")
        try:
            self.s.domu_shell("tsb")
        except qemu.Expired:
            raise NA("no shell on the linux domU's console") from None
        try:
            self.in_domu()
        finally:
            self.s.detach()
        try:
            v = self.tsb("get http://10.0.0.2:8000/blob", ts.STEP * 2)
            if int(v["bytes"]) != NET_MIB << 20:
                raise NA(f"dom0 got {v['bytes']} bytes of {NET_MIB << 20}")
            self.put("net_tx", NET_MIB / (int(v["get_ns"]) / 1e9))
        except NA as e:
            self.na(["net_tx"], str(e))
        self.tsb("destroy linux")

    def domu(self, cmd: str, timeout: float = ts.STEP) -> float:
        """Time cmd in the domU's busybox shell by its own clock (T, DOMU_HELPERS):
        seconds."""
        v = self.tsb(f"!T {cmd}", timeout)
        if "ns" not in v:
            raise NA(f"`{cmd}` in the domU failed")
        return int(v["ns"]) / 1e9

    def in_domu(self) -> None:
        for helper in DOMU_HELPERS:
            self.tsb(f"!{helper}")
        self.step(["disk_write"], lambda: self.put("disk_write", DISK_MIB / self.domu(
            f"dd if=/dev/zero of=/dev/xvda bs=1M count={DISK_MIB} conv=fsync")))
        self.step(["disk_read"], lambda: self.put("disk_read", DISK_MIB / self.domu(
            f"cold dd if=/dev/xvda of=/dev/null bs=1M count={DISK_MIB}")))
        if not self.step(["net_rx", "net_tx"], lambda: self.tsb(
                "!ip link set eth0 up && ip addr add 10.0.0.2/24 dev eth0")) or \
                not self.step(["net_rx", "net_tx"], lambda: self.tsb(
                    "!ping -c 2 -W 10 10.0.0.1 >/dev/null")):
            return
        self.step(["net_rx"], lambda: self.put("net_rx", NET_MIB / self.domu(
            "wget -q -O /dev/null http://10.0.0.1:8000/blob", ts.STEP * 2)))
        self.step(["net_tx"], lambda: self.tsb(
            f"!dd if=/dev/zero of=/srv/blob bs=1M count={NET_MIB} 2>/dev/null"))
        self.step(["net_tx"], lambda: self.tsb("!httpd -p 8000 -h /srv"))


SMALL_KEYS = ["small_create", "small_destroy"]
NET_KEYS = ["disk_write", "disk_read", "net_rx", "net_tx"]


def linux_keys(n: int) -> list[str]:
    return [f"{k}_{n}" for k in ("create", "first", "up", "destroy")]


class LoggedConsole(qemu.Console):
    """A qemu.Console that writes each console line to a file as it comes, after the
    seconds since QEMU started; and types at `pause` seconds per 8 bytes."""

    def __init__(self, log: Path, pause: float, **kw):
        self.log = open(log, "w", encoding="utf-8")
        self.pause = pause
        super().__init__([], **kw)

    def pump(self, wait: float) -> bool:
        before = len(self.res.lines)
        alive = super().pump(wait)
        for t, line in self.res.lines[before:]:
            self.log.write(f"{t:8.1f} {line}\n")
        self.log.flush()
        return alive

    def line(self, text: str, chunk: int = 8, pause: float = 0.03) -> None:
        super().line(text, chunk, max(pause, self.pause))

    def close(self):
        res = super().close()
        self.log.close()
        return res


def session(hv: str, mode: str, args, fs: Path) -> Bench:
    smp, extra = MODES[mode]
    cmd = ts.command(hv, fs=fs, extra=extra, smp=smp)
    t0 = time.monotonic()
    LOGS.mkdir(parents=True, exist_ok=True)
    log = LOGS / f"toolstack-{hv}-{mode}.log"
    # Typed input waits in the hypervisor's 128-byte buffer until dom0 reads it:
    # slower under -icount, where the guests run slower than the host's clock.
    with LoggedConsole(log, 0.1 if mode == "icount" else 0.03, hv=hv, cmd=cmd) as con:
        b = Bench(con, hv, mode)
        many = args.many
        all_keys = (["boot"] + SMALL_KEYS + linux_keys(1) + NET_KEYS
                    + (linux_keys(many) if many > 1 else []))
        try:
            b.boot()
        except NA as e:
            b.na(all_keys, str(e))
        if "boot" in b.got and b.step(SMALL_KEYS + linux_keys(1) + linux_keys(many),
                  lambda: b.small_domains(1, 1)):
            b.step(linux_keys(1), lambda: b.linux_cycles(1, args.reps))
            if many > 1 and b.step(linux_keys(many), lambda: b.small_domains(2, many)):
                b.step(linux_keys(many), lambda: b.linux_cycles(many, args.reps))
            b.step(["small_destroy"], lambda: b.small_destroy(many if many > 1 else 1))
        if "boot" in b.got:
            b.step(NET_KEYS, b.disk_net)
    print(f"[{hv} {mode}] session {time.monotonic() - t0:.0f} s, console in {log}",
          file=sys.stderr, flush=True)
    return b


# ---- the table ----

def rows(many: int) -> list[tuple[str, str, str]]:
    """(label, key, unit): unit "s" (lower is better) or "MiB/s"."""
    out = []
    for n in (1, many) if many > 1 else (1,):
        run = f"dom0 + {n} small"
        out += [(f"xl create returns ({run})", f"create_{n}", "s"),
                (f"xl create -> first console line ({run})", f"first_{n}", "s"),
                (f"xl create -> domU userspace ({run})", f"up_{n}", "s"),
                (f"xl destroy ({run})", f"destroy_{n}", "s")]
    out += [(f"small domain: xl create (median of {max(many, 1)})", "small_create", "s"),
            (f"small domain: xl destroy (median of {max(many, 1)})", "small_destroy", "s"),
            (f"PV disk write, dd {DISK_MIB} MiB conv=fsync", "disk_write", "MiB/s"),
            (f"PV disk read, dd {DISK_MIB} MiB cold", "disk_read", "MiB/s"),
            (f"PV net dom0 -> domU, {NET_MIB} MiB (wget)", "net_rx", "MiB/s"),
            (f"PV net domU -> dom0, {NET_MIB} MiB (wget)", "net_tx", "MiB/s")]
    return out


class Notes:
    """Footnotes for n/a cells: each distinct reason once."""

    def __init__(self):
        self.reasons: list[str] = []

    def ref(self, reason: str) -> str:
        if reason not in self.reasons:
            self.reasons.append(reason)
        return f"n/a[{self.reasons.index(reason) + 1}]"


def cell(hv: str, sessions: list[Bench], key: str, notes: Notes):
    """(median over every session's values or None, the text to print)."""
    vals = [v for b in sessions for v in b.got.get(key, [])]
    if vals:
        return statistics.median(vals), None
    if not sessions:
        return None, "not run"
    reasons = [b.why[key] for b in sessions if key in b.why]
    return None, notes.ref(f"{hv}: {reasons[0] if reasons else 'not measured'}")


def table(results: dict, modes: list[str], many: int) -> None:
    notes = Notes()
    labels = rows(many)
    width = max(len(lb) for lb, _, _ in labels) + 8
    for mode in modes:
        print()
        print({"wall": "wall clock (free-running QEMU; the guests' clocks follow the host's)",
               "icount": "deterministic (-icount shift=0,sleep=off: virtual s = 10^9 "
                         "instructions + skipped idle)"}[mode])
        print(f"{'':{width}}  {'cloison':>12}  {'xen-4.17':>12}  {'cloison/xen':>11}")
        for label, key, unit in labels:
            c, ctext = cell("cloison", results[("cloison", mode)], key, notes)
            x, xtext = cell("xen", results[("xen", mode)], key, notes)
            spec = ".2f" if unit == "s" else ".1f"
            ratio = f"{c / x:.2f}" if c is not None and x else "n/a"
            print(f"{label + ', ' + unit:{width}}  {ctext or format(c, spec):>12}  "
                  f"{xtext or format(x, spec):>12}  {ratio:>11}")
    for i, reason in enumerate(notes.reasons, 1):
        print(f"[{i}] {reason}")
    print("Times are medians of every session's values, measured inside the guests "
          "(dom0's clock for xl, the domU's for dd and its wget). Throughput ratios above "
          "1 mean Cloison is faster; time ratios below 1.")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--many", type=int, default=50,
                    help="small domains running for the second figures (0: skip that part)")
    ap.add_argument("--reps", type=int, default=3, help="Linux create/destroy per condition")
    ap.add_argument("--rounds", type=int, default=1, help="sessions per hypervisor and mode")
    ap.add_argument("--modes", default="wall,icount")
    ap.add_argument("--hvs", default=",".join(HVS), help="for trying one side alone")
    args = ap.parse_args()
    modes = [m for m in args.modes.split(",") if m]
    for m in modes:
        if m not in MODES:
            ap.error(f"unknown mode {m!r}")
    hvs = [h for h in args.hvs.split(",") if h]
    results = {(hv, m): [] for hv in HVS for m in modes}
    t0 = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="cloison-tsbench-") as tmp:
        try:
            fs = overlay_fs(Path(tmp))
        except FileNotFoundError as e:
            sys.exit(f"bench/toolstack.py: {e}")
        for _ in range(args.rounds):
            for mode in modes:
                for hv in hvs:
                    try:
                        results[(hv, mode)].append(session(hv, mode, args, fs))
                    except FileNotFoundError as e:
                        b = Bench.__new__(Bench)
                        b.hv, b.got, b.why = hv, {}, {k: str(e) for _, k, _ in rows(args.many)}
                        results[(hv, mode)].append(b)
    print(f"Toolstack: Debian's xl 4.17 in a Debian dom0 (1 GiB, 2 vCPUs) on QEMU virt "
          f"(2 pCPUs, GICv3, TCG), {args.rounds} session(s) each, {time.monotonic() - t0:.0f} s")
    table(results, modes, args.many)
    print(f"Small domains: the idle test guest, {SMALL_MIB} MiB, 1 vCPU, no devices. "
          f"Linux domU: /etc/xen/demo.cfg (128 MiB, 1 vCPU); disk and net: "
          f"/etc/xen/linux.cfg (256 MiB, 2 vCPUs, xvda in dom0's RAM, vif on xenbr0).")


if __name__ == "__main__":
    main()
