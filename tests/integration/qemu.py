"""Boot Cloison or Xen 4.17 with dom0less test guests in QEMU and collect their verdicts.

Used by the pytest suite (tests/integration), bench/run.py and the `make run` demo.

A scenario is a Machine (QEMU virt board) plus a list of Domain (one test guest each).
host_dtb() builds the device tree both hypervisors boot from: QEMU's own tree for that
board (dumpdtb) with a /chosen block in Xen's dom0less binding added. run() starts QEMU
in its own process group, streams the serial console, stops when the caller's condition
holds, the process exits or the timeout expires, and always kills the group.
"""

from __future__ import annotations

import codecs
import os
import re
import selectors
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Optional

REPO = Path(__file__).resolve().parents[2]
BUILD = Path(os.environ.get("BUILD", REPO / "build"))
if not BUILD.is_absolute():
    BUILD = REPO / BUILD
GUESTS = BUILD / "guests"
XEN_BIN = REPO / ".cache" / "xen" / "xen"
CLOISON_BIN = BUILD / "cloison"
QEMU = "qemu-system-aarch64"

# Where guest images go in host RAM. QEMU puts a -kernel Image at 0x40000000 +
# text_offset (Xen: 0x40200000, ~1 MiB) and the DTB at 128 MiB into RAM
# (0x48000000, checked with `info roms`, about 2 MiB as dumped). Modules start
# at 256 MiB into RAM, one 32 MiB slot each, clear of both.
MODULE_BASE = 0x50000000
MODULE_SLOT = 0x02000000

# Xen 4.17 with no dom0 ("true dom0less"): console on the PL011 named by path
# (QEMU's tree has no serial aliases); all log levels so every guest line is
# printed. No sync_console: it adds a 3 s countdown to every boot, which would
# swamp the boot-time benchmark; output still arrives, we linger before killing.
XEN_BOOTARGS = "console=dtuart dtuart=/pl011@9000000 loglvl=all guest_loglvl=all"
CLOISON_BOOTARGS = "console=dtuart dtuart=/pl011@9000000 loglvl=all"


@dataclass
class Machine:
    """The QEMU board: -M virt,virtualization=on,gic-version=N -cpu CPU -smp N -m MiB."""
    gic: int = 3
    cpu: str = "cortex-a57"
    smp: int = 4
    mem_mib: int = 2048
    icount_shift: Optional[int] = None  # -icount shift=N: instruction-counted time
    icount_sleep: bool = True  # False: sleep=off, idle time skipped (work only)

    def qemu_args(self) -> list[str]:
        args = ["-M", f"virt,virtualization=on,gic-version={self.gic}",
                "-cpu", self.cpu, "-smp", str(self.smp), "-m", str(self.mem_mib)]
        if self.icount_shift is not None:
            args += ["-icount", f"shift={self.icount_shift}"
                     + ("" if self.icount_sleep else ",sleep=off")]
        return args


@dataclass
class Domain:
    """One dom0less domain: a test guest (tests/guests/cases/<case>.c) or any Image."""
    case: str
    mem_kib: int = 64 * 1024
    cpus: int = 1
    vpl011: bool = True   # Xen 4.17 refuses console_io to domUs; the vPL011 carries output
    enhanced: bool | str = False  # True = "enabled", or the property's value ("no-xenstore")
    bootargs: str = ""
    image: Optional[Path] = None
    ramdisk: Optional[Path] = None   # multiboot,ramdisk module, in a slot of its own
    # xl.cfg-style policies (destroy|restart|preserve); None leaves the property out.
    on_poweroff: Optional[str] = None
    on_reboot: Optional[str] = None
    on_crash: Optional[str] = None
    # Ports the domain may use: Cloison's `cloison,event-channels` (as xl.cfg's
    # event_channels), written for Cloison only so Xen's tree stays its own binding.
    event_channels: Optional[int] = None
    # Xen's `xen,domain-p2m-mem-mb`: the domain's P2M pool in MiB (None: the default).
    p2m_mem_mb: Optional[int] = None
    # Cloison's `cloison,sched-weight` / `cloison,sched-cap` (credit2's weight and
    # cap, as xl sched-credit2 -w/-c), written for Cloison only.
    sched_weight: Optional[int] = None
    sched_cap: Optional[int] = None
    # True: load this domain's files once and name that copy in every sharing
    # domain's modules (one kernel for many domains, as a real boot tree may).
    share_modules: bool = False

    def image_path(self) -> Path:
        return Path(self.image) if self.image else GUESTS / f"{self.case}.img"

    def modules(self) -> list[tuple[str, Path, str]]:
        """[(compatible kind, file, hint when missing)] in slot order."""
        out = [("kernel", self.image_path(), "run `make` (guests are built into build/guests)")]
        if self.ramdisk:
            out.append(("ramdisk", Path(self.ramdisk), "run " + FETCH_HINT))
        return out


# Debian's stock kernel (scripts/fetch-guests.sh) and the busybox initramfs built
# from busybox-static (scripts/mkinitramfs.py). The vPL011 sits at Xen's address.
LINUX_IMAGE = REPO / ".cache" / "linux" / "Image"
INITRAMFS = BUILD / "linux" / "initramfs.cpio.gz"
LINUX_BOOTARGS = "console=ttyAMA0 earlycon=pl011,0x22000000"
FETCH_HINT = "scripts/fetch-guests.sh && /usr/bin/python3 scripts/mkinitramfs.py"
# Printed by the initramfs' /init once userspace runs (scripts/mkinitramfs.py).
LINUX_UP_RE = r"CLOISON-LINUX-UP nproc=(\d+)"


# Debian's 32-bit armmp-lpae kernel (a zImage: the domain is AArch32) and an
# initramfs of busybox-static:armhf with the same /init (scripts/fetch-armhf.sh,
# scripts/mkinitramfs.py --arch armhf).
ARMHF_ZIMAGE = REPO / ".cache" / "linux-armhf" / "zImage"
# The non-LPAE flavour (linux-image-armmp): short-descriptor page tables.
ARMMP_ZIMAGE = REPO / ".cache" / "linux-armhf-armmp" / "zImage"
ARMHF_INITRAMFS = BUILD / "linux" / "initramfs-armhf.cpio.gz"
ARMHF_FETCH_HINT = ("sh scripts/fetch-armhf.sh && "
                    "/usr/bin/python3 scripts/mkinitramfs.py --arch armhf")


@dataclass
class LinuxDomain(Domain):
    """Debian's cloud-arm64 kernel with the busybox initramfs, as a plain VM."""
    case: str = "linux"
    mem_kib: int = 256 * 1024
    bootargs: str = LINUX_BOOTARGS
    image: Optional[Path] = LINUX_IMAGE
    ramdisk: Optional[Path] = INITRAMFS


@dataclass
class ArmhfLinuxDomain(LinuxDomain):
    """Debian's armhf (ARMv7 LPAE) kernel with the armhf busybox initramfs."""
    case: str = "linux-armhf"
    image: Optional[Path] = ARMHF_ZIMAGE
    ramdisk: Optional[Path] = ARMHF_INITRAMFS


@dataclass
class ArmmpLinuxDomain(ArmhfLinuxDomain):
    """Debian's non-LPAE armhf kernel (linux-image-armmp), the same initramfs."""
    case: str = "linux-armmp"
    image: Optional[Path] = ARMMP_ZIMAGE


def hv_binary(hv: str) -> Path:
    if hv == "cloison":
        return CLOISON_BIN
    if hv == "xen":
        return XEN_BIN
    raise ValueError(f"unknown hypervisor {hv!r} (expected 'cloison' or 'xen')")


def _need(path: Path, hint: str) -> Path:
    # A missing artefact is a failure the caller must see, never a silent skip.
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: {hint}")
    return path


def _dump_board_dtb(machine: Machine, out: Path) -> None:
    # -nodefaults: the default NIC wants efi-virtio.rom, which Debian's qemu lacks.
    cmd = [QEMU, *machine.qemu_args(), "-nodefaults", "-display", "none",
           "-machine", f"dumpdtb={out}"]
    subprocess.run(cmd, check=True, capture_output=True, timeout=60)


def module_layout(domains: list[Domain]) -> list[list[tuple[str, Path, int, int]]]:
    """Per domain, [(kind, file, address, size)]: consecutive slots of at least
    MODULE_SLOT (a larger file takes several, rounded to 2 MiB). A domain with
    share_modules reuses the slot of an earlier sharing domain's same file."""
    addr = MODULE_BASE
    out = []
    shared: dict[tuple[str, Path], int] = {}
    for dom in domains:
        mods = []
        for kind, path, hint in dom.modules():
            size = _need(path, hint).stat().st_size
            key = (kind, Path(path).resolve())
            if dom.share_modules and key in shared:
                mods.append((kind, path, shared[key], size))
                continue
            if dom.share_modules:
                shared[key] = addr
            mods.append((kind, path, addr, size))
            addr += max(MODULE_SLOT, (size + 0x1FFFFF) & ~0x1FFFFF)
        out.append(mods)
    return out


def _chosen_block(domains: list[Domain], bootargs: str, hv: str = "cloison") -> str:
    lines = ["/ {", "\tchosen {", "\t\t#address-cells = <2>;", "\t\t#size-cells = <2>;",
             f'\t\txen,xen-bootargs = "{bootargs}";']
    for i, (dom, mods) in enumerate(zip(domains, module_layout(domains))):
        lines += [f"\t\tdomU{i + 1} {{",
                  '\t\t\tcompatible = "xen,domain";',
                  "\t\t\t#address-cells = <2>;", "\t\t\t#size-cells = <2>;",
                  f"\t\t\tmemory = <0x0 {dom.mem_kib:#x}>;",
                  f"\t\t\tcpus = <{dom.cpus}>;"]
        if dom.vpl011:
            lines.append("\t\t\tvpl011;")
        if dom.enhanced:
            value = dom.enhanced if isinstance(dom.enhanced, str) else "enabled"
            lines.append(f'\t\t\txen,enhanced = "{value}";')
        for prop in ("on_poweroff", "on_reboot", "on_crash"):
            if getattr(dom, prop):
                lines.append(f'\t\t\t{prop} = "{getattr(dom, prop)}";')
        if dom.event_channels is not None and hv == "cloison":
            lines.append(f"\t\t\tcloison,event-channels = <{dom.event_channels}>;")
        if dom.sched_weight is not None and hv == "cloison":
            lines.append(f"\t\t\tcloison,sched-weight = <{dom.sched_weight}>;")
        if dom.sched_cap is not None and hv == "cloison":
            lines.append(f"\t\t\tcloison,sched-cap = <{dom.sched_cap}>;")
        if dom.p2m_mem_mb is not None:
            lines.append(f"\t\t\txen,domain-p2m-mem-mb = <{dom.p2m_mem_mb}>;")
        for kind, _, addr, size in mods:
            lines += [f"\t\t\tmodule@{addr:x} {{",
                      f'\t\t\t\tcompatible = "multiboot,{kind}", "multiboot,module";',
                      f"\t\t\t\treg = <0x0 {addr:#x} 0x0 {size:#x}>;"]
            if kind == "kernel" and dom.bootargs:
                lines.append(f'\t\t\t\tbootargs = "{dom.bootargs}";')
            lines.append("\t\t\t};")
        lines.append("\t\t};")
    lines += ["\t};", "};", ""]
    return "\n".join(lines)


def module_loaders(domains: list[Domain]) -> list[str]:
    """QEMU arguments that place each domain's modules at their addresses
    (a shared module once)."""
    args, loaded = [], set()
    for mods in module_layout(domains):
        for _, path, addr, _ in mods:
            if addr not in loaded:
                loaded.add(addr)
                args += ["-device", f"loader,file={path},addr={addr:#x},force-raw=on"]
    return args


def host_dtb(machine: Machine, domains: list[Domain], out: Path,
             bootargs: Optional[str] = None, hv: str = "cloison",
             dts_edit: Optional[Callable[[str], str]] = None) -> Path:
    """Write the host DTB for this board with the dom0less domains in /chosen.
    dts_edit(source) -> source, if given, changes the whole tree's source
    before it is compiled (tests of bad boot descriptions)."""
    if bootargs is None:
        bootargs = XEN_BOOTARGS if hv == "xen" else CLOISON_BOOTARGS
    out = Path(out)
    board = out.with_suffix(".board.dtb")
    _dump_board_dtb(machine, board)
    dts = subprocess.run(["dtc", "-q", "-I", "dtb", "-O", "dts", str(board)],
                         check=True, capture_output=True, text=True).stdout
    # dtc merges a second root node into the first, so /chosen gains our children.
    dts += "\n" + _chosen_block(domains, bootargs, hv)
    if dts_edit:
        dts = dts_edit(dts)
    src = out.with_suffix(".dts")
    src.write_text(dts)
    subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", str(out), str(src)],
                   check=True, capture_output=True)
    return out


# ---- running ----

# A verdict may follow a hypervisor prefix: "(d1) " for console_io output (Xen,
# and Cloison by convention), "(XEN) DOM1: " for Xen's vPL011 lines.
VERDICT_RE = re.compile(r"TEST (?P<case>\S+) (?P<status>PASS|FAIL|RUN)\b ?(?P<rest>.*)$")
DOMID_RE = re.compile(r"(?:\(d(\d+)\)|DOM(\d+):)")


@dataclass
class Verdict:
    case: str
    status: str
    rest: str
    domid: Optional[int]
    kv: dict = field(default_factory=dict)
    line: str = ""
    t: float = 0.0  # seconds after QEMU started

    def key(self) -> tuple:
        return (self.case, self.status)


def parse_verdicts(lines: Iterable[tuple[float, str]]) -> list[Verdict]:
    out = []
    for t, line in lines:
        m = VERDICT_RE.search(line)
        if not m:
            continue
        rest = m.group("rest").strip()
        kv = dict(tok.split("=", 1) for tok in rest.split() if "=" in tok)
        d = DOMID_RE.search(line[:m.start()])
        dom = int(d.group(1) or d.group(2)) if d else None
        out.append(Verdict(m.group("case"), m.group("status"), rest, dom, kv, line.strip(), t))
    return out


@dataclass
class Result:
    hv: str
    output: str
    lines: list                      # [(t, line)], t = seconds since start
    returncode: Optional[int]        # None when we had to kill QEMU
    exited: bool                     # QEMU ended by itself
    timed_out: bool
    condition_met: bool
    duration: float
    cmd: list

    @property
    def verdicts(self) -> list[Verdict]:
        return parse_verdicts(self.lines)

    def final(self) -> list[Verdict]:
        return [v for v in self.verdicts if v.status in ("PASS", "FAIL")]

    def silences(self, n: int = 3) -> list[tuple[float, float, str]]:
        """The n longest waits for console output: (start s, length s, the line before)."""
        gaps = [(t1 - t0, t0, line) for (t0, line), (t1, _) in zip(self.lines, self.lines[1:])]
        if self.lines:
            gaps.append((self.duration - self.lines[-1][0], *self.lines[-1]))
        return [(t0, gap, line) for gap, t0, line in sorted(gaps, reverse=True)[:n]]

    def describe(self) -> str:
        # Times let a failure report tell a stall from slowness (a run that
        # simply went slow has no long silence).
        tail = "\n".join(f"[{t:7.2f}] {line}" for t, line in self.lines[-60:])
        quiet = "\n".join(f"  {gap:6.2f}s from {t0:.2f}s, after: {line}"
                           for t0, gap, line in self.silences())
        return (f"hv={self.hv} exited={self.exited} rc={self.returncode} "
                f"timed_out={self.timed_out} condition_met={self.condition_met} "
                f"duration={self.duration:.1f}s lines={len(self.lines)}\n"
                f"cmd: {' '.join(self.cmd)}\n"
                f"--- longest silences ---\n{quiet}\n"
                f"--- last console lines ---\n{tail}")


def verdicts_for(cases: Iterable[str]) -> Callable[[Result], bool]:
    """Condition: one final verdict (PASS or FAIL) seen for each listed case (with repeats)."""
    want: dict[str, int] = {}
    for c in cases:
        want[c] = want.get(c, 0) + 1

    def cond(res: Result) -> bool:
        seen: dict[str, int] = {}
        for v in res.final():
            seen[v.case] = seen.get(v.case, 0) + 1
        return all(seen.get(c, 0) >= n for c, n in want.items())
    return cond


def native_command(machine: Machine, dom: Domain, extra_args: Iterable[str] = ()) -> list[str]:
    """The same kernel and initramfs booted by QEMU directly (no EL2), dom.cpus CPUs and
    dom.mem_kib of RAM, console on the board's own PL011: the boot-time baseline."""
    kernel = _need(dom.image_path(), "run " + FETCH_HINT)
    board = Machine(machine.gic, machine.cpu, dom.cpus, max(dom.mem_kib // 1024, 64),
                    machine.icount_shift, machine.icount_sleep)
    args = [a.replace("virtualization=on,", "") for a in board.qemu_args()]
    cmd = [QEMU, *args, "-nodefaults", "-display", "none", "-serial", "stdio",
           "-monitor", "none", "-kernel", str(kernel),
           "-append", dom.bootargs.replace("0x22000000", "0x9000000")]
    if dom.ramdisk:
        cmd += ["-initrd", str(_need(Path(dom.ramdisk), "run " + FETCH_HINT))]
    return cmd + list(extra_args)


def hv_command(domains: list[Domain], hv: str, machine: Machine, workdir: Path,
               bootargs: Optional[str] = None, extra_args: Iterable[str] = (),
               dts_edit: Optional[Callable[[str], str]] = None) -> list[str]:
    """The QEMU command line booting hv with these dom0less domains (DTB in workdir)."""
    binary = _need(hv_binary(hv), "run scripts/fetch-xen.sh" if hv == "xen" else "run `make`")
    dtb = host_dtb(machine, domains, Path(workdir) / "host.dtb", bootargs, hv, dts_edit)
    return [QEMU, *machine.qemu_args(), "-nodefaults", "-display", "none",
            "-serial", "stdio", "-monitor", "none",
            "-kernel", str(binary), "-dtb", str(dtb),
            *module_loaders(domains), *extra_args]


def run(domains: list[Domain], hv: str = "cloison", machine: Optional[Machine] = None,
        timeout: float = 60.0, until: Optional[Callable[[Result], bool]] = None,
        linger: float = 0.0, send: Iterable[tuple[str, bytes]] = (),
        bootargs: Optional[str] = None, workdir: Optional[Path] = None,
        extra_args: Iterable[str] = (),
        dts_edit: Optional[Callable[[str], str]] = None) -> Result:
    """Boot hv with these dom0less domains; return everything the console printed.

    until(result) is checked after each chunk of output; once true, QEMU is given
    `linger` more seconds (to catch late lines) and then killed. send is a list of
    (regex, bytes): when regex first matches the output, bytes go to the console.
    dts_edit: see host_dtb().
    """
    with Console(domains, hv, machine, bootargs, workdir, extra_args,
                 dts_edit=dts_edit) as con:
        con.drive(timeout, until, linger, list(send))
    return con.res


class Expired(AssertionError):
    """Console.expect gave up: the message carries the console's last lines."""


# Which domain receives console input: Cloison prints "(cloison) console input: d1"
# (or a name that is not dN for itself); Xen "*** Serial input to DOM1" / "... to Xen".
# The name must be complete: followed by " (" or the end of the line, so a
# half-received "console input: d" never matches.
FOCUS_RE = re.compile(r"\(cloison\) console input: (?P<c>\S+)(?= \(|\r?\n)|"
                      r"\*\*\* Serial input to (?P<x>DOM\d+|Xen)")
SWITCH_INPUT = b"\x01\x01\x01"   # Ctrl-a three times, for both hypervisors


def _focus_of(m: re.Match) -> Optional[int]:
    name = m.group("c") or m.group("x")
    d = re.fullmatch(r"(?:d|DOM)(\d+)", name)
    return int(d.group(1)) if d else None


# Every Result since the test suite last cleared it (conftest.py turns recording on),
# so each test's whole output is checked afterwards (no panic anywhere) whatever the
# test itself asserted. Off for bench/ and the demo, which keep nothing.
RECORD_RESULTS = False
RESULTS: list["Result"] = []


class Console:
    """One QEMU run driven through its serial console, for interactive scenarios.

        with qemu.Console([qemu.LinuxDomain(cpus=2)]) as con:
            m = con.expect(qemu.LINUX_UP_RE, timeout=120)
            con.focus(1)
            con.line("echo ANS-$((6*7))-END")
            con.expect(r"ANS-42-END")
        con.res   # the Result: everything printed, exit status, ...

    expect() searches the output after the previous match; QEMU is killed (by
    process group) when the block ends.
    """

    def __init__(self, domains: list[Domain], hv: str = "cloison",
                 machine: Optional[Machine] = None, bootargs: Optional[str] = None,
                 workdir: Optional[Path] = None, extra_args: Iterable[str] = (),
                 cmd: Optional[list[str]] = None,
                 dts_edit: Optional[Callable[[str], str]] = None):
        """cmd: run this QEMU command line instead (domains and machine unused);
        dts_edit: see host_dtb()."""
        self._tmp = None
        if cmd is None and workdir is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="cloison-it-")
            workdir = Path(self._tmp.name)
        try:
            if cmd is None:
                cmd = hv_command(domains, hv, machine or Machine(), workdir, bootargs,
                                 extra_args, dts_edit)
        except BaseException:
            self._cleanup_tmp()
            raise
        self.start = time.monotonic()
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        self.res = Result(hv, "", [], None, False, False, False, 0.0, cmd)
        if RECORD_RESULTS:
            RESULTS.append(self.res)
        self.pos = 0          # expect() searches res.output from here
        self.eof = False
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._partial = ""
        self._sel = selectors.DefaultSelector()
        self._sel.register(self.proc.stdout, selectors.EVENT_READ)

    def __enter__(self) -> "Console":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if isinstance(exc, Expired) and self.res.hv == "cloison" and not self.eof:
            try:
                view = self.cloisons_view()
            except OSError as e:
                view = f"(could not ask: {e})"
            exc.args = (f"{exc.args[0] if exc.args else ''}\n"
                        f"--- Cloison's view after the timeout ---\n{view}",)
        self.close()

    def _cleanup_tmp(self) -> None:
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def pump(self, wait: float) -> bool:
        """Read what QEMU printed within `wait` seconds; False once it has gone."""
        if self.eof:
            return False
        if not self._sel.select(timeout=max(0.0, wait)):
            if self.proc.poll() is not None:
                self.eof = True
            return not self.eof
        chunk = os.read(self.proc.stdout.fileno(), 65536)
        if not chunk:
            self.eof = True
            return False
        text = self._decoder.decode(chunk)
        self.res.output += text
        t = time.monotonic() - self.start
        self._partial += text
        *complete, self._partial = self._partial.replace("\r", "").split("\n")
        self.res.lines += [(t, line) for line in complete]
        return True

    def write(self, data: bytes) -> None:
        try:
            self.proc.stdin.write(data)
            self.proc.stdin.flush()
        except (BrokenPipeError, ValueError):
            pass   # QEMU has gone; the next expect() reports it

    def line(self, text: str, chunk: int = 8, pause: float = 0.03) -> None:
        """Type one command line into whichever domain has console input, a few
        bytes at a time as a person would: a whole line at once can overrun a
        guest's UART FIFO (seen under Xen 4.17: characters past 32 lost)."""
        data = text.encode() + b"\n"
        for i in range(0, len(data), chunk):
            self.write(data[i:i + chunk])
            end = time.monotonic() + pause
            while i + chunk < len(data) and time.monotonic() < end:
                if not self.pump(end - time.monotonic()):
                    break

    def expect(self, pattern, timeout: float = 30.0, since: Optional[int] = None) -> re.Match:
        """Wait until pattern matches the output after `since` (default: after the
        furthest match so far); return the match. Raises Expired on timeout or QEMU exit."""
        rx = re.compile(pattern, re.M) if isinstance(pattern, str) else pattern
        start = self.pos if since is None else since
        deadline = time.monotonic() + timeout
        while True:
            m = rx.search(self.res.output, start)
            if m:
                self.pos = max(self.pos, m.end())
                return m
            left = deadline - time.monotonic()
            if left <= 0 or not self.pump(min(0.2, left)) and self.eof:
                self.res.timed_out = left <= 0
                raise Expired(f"waited {timeout:.0f}s for {rx.pattern!r} "
                              f"({'timeout' if left <= 0 else 'QEMU exited'})\n"
                              + self.describe())

    def wait_exit(self, timeout: float) -> bool:
        """Let QEMU run until it exits by itself (True) or timeout passes (False)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.pump(min(0.2, deadline - time.monotonic())) and self.eof:
                self.proc.wait(timeout=10)
                return True
        return False

    def ask(self, command: str, answer, timeout: float = 30.0) -> re.Match:
        """Type command, wait for answer: a regex the echo of the typed line cannot
        match (e.g. "echo ANS-$((6*7))-END" -> r"ANS-42-END")."""
        mark = len(self.res.output)
        self.line(command)
        return self.expect(answer, timeout, since=mark)

    def wait_shell(self, timeout: float = 60.0, tag: str = "") -> None:
        """Until a shell in the focused domain answers (retyping a probe every 5 s)."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.ask(f"echo RDY{tag}-$((2+3))", rf"RDY{tag}-5\r*\n", 5.0)
                return
            except Expired:
                if self.eof or time.monotonic() >= deadline:
                    raise

    def focus_now(self) -> Optional[int]:
        """The domain the last input-switch line named (None: the hypervisor or none yet)."""
        last = None
        for last in FOCUS_RE.finditer(self.res.output):
            pass
        return _focus_of(last) if last else None

    def focus(self, domid: int, timeout: float = 10.0) -> None:
        """Direct console input to domid: Ctrl-a x3 until the hypervisor names it."""
        for _ in range(16):
            if self.focus_now() == domid:
                return
            mark = len(self.res.output)
            self.write(SWITCH_INPUT)
            try:
                self.expect(FOCUS_RE, timeout, since=mark)
            except Expired as e:
                raise Expired(f"no console input switch after Ctrl-a x3 (wanted d{domid})\n"
                              + str(e)) from None
        raise Expired(f"console input never reached d{domid}\n" + self.describe())

    def drive(self, timeout: float, until: Optional[Callable[[Result], bool]] = None,
              linger: float = 0.0, send: list = ()) -> None:
        """run()'s loop: pump until until(res) (then `linger` s more), exit or timeout."""
        pending = list(send)
        stop_at = time.monotonic() + timeout
        while True:
            now = time.monotonic()
            if now >= stop_at:
                self.res.timed_out = not self.res.condition_met
                break
            if not self.pump(min(0.2, stop_at - now)):
                break
            for item in list(pending):
                if re.search(item[0], self.res.output):
                    self.write(item[1])
                    pending.remove(item)
            if until and not self.res.condition_met and until(self.res):
                self.res.condition_met = True
                stop_at = min(stop_at, time.monotonic() + linger)

    def describe(self) -> str:
        self.res.duration = time.monotonic() - self.start
        text = self.res.describe()
        if self._partial:   # a prompt with no newline yet: it says how far a guest got
            text += f"\n[{self.res.duration:7.2f}] {self._partial}   <- no newline yet"
        return text

    def cloisons_view(self) -> str:
        """After a timeout: move the console input back to Cloison and ask it for its
        domains' vCPU states and what each pCPU runs, so a failure report tells a
        guest waiting for nothing from a vCPU that never ran again."""
        mark = len(self.res.output)
        for _ in range(8):
            if self.focus_now() is None or self.eof:
                break
            seen = len(FOCUS_RE.findall(self.res.output))
            self.write(SWITCH_INPUT)
            end = time.monotonic() + 2.0
            while len(FOCUS_RE.findall(self.res.output)) == seen and time.monotonic() < end:
                self.pump(0.2)
        self.write(b"q")
        self.write(b"r")
        end = time.monotonic() + 3.0
        while time.monotonic() < end and self.pump(end - time.monotonic()):
            pass
        return self.res.output[mark:].replace("\r", "") or "(no answer)"

    def close(self) -> Result:
        if self._sel is None:
            return self.res
        _kill_group(self.proc)
        self.res.output += self._decoder.decode(b"", final=True)
        if self._partial:
            self.res.lines.append((time.monotonic() - self.start, self._partial))
            self._partial = ""
        self.res.duration = time.monotonic() - self.start
        self._sel.close()
        self._sel = None
        self._cleanup_tmp()
        rc = self.proc.returncode
        # We only kill with SIGKILL; a negative code means the exit was ours.
        self.res.exited = rc is not None and rc >= 0
        self.res.returncode = rc if self.res.exited else None
        return self.res


def _kill_group(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    else:
        # QEMU is gone; still sweep any helper left in its group.
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    proc.wait(timeout=10)
    for f in (proc.stdin, proc.stdout):
        try:
            f.close()
        except OSError:
            pass


def run_cases(cases: list[str], hv: str = "cloison", machine: Optional[Machine] = None,
              timeout: float = 60.0, **kw) -> Result:
    """Convenience: one single-vCPU domain per case, stop once every case gave a verdict."""
    domains = [Domain(c, cpus=2 if c == "smp" or c.endswith("32_smp") else 1) for c in cases]
    return run(domains, hv, machine, timeout, until=verdicts_for(cases), linger=0.3, **kw)


if __name__ == "__main__":
    import argparse
    ap = argparse.ArgumentParser(description="Boot test guests under Cloison or Xen 4.17")
    ap.add_argument("cases", nargs="+")
    ap.add_argument("--hv", default="cloison", choices=["cloison", "xen"])
    ap.add_argument("--gic", type=int, default=3)
    ap.add_argument("--cpu", default="cortex-a57")
    ap.add_argument("--smp", type=int, default=4)
    ap.add_argument("--timeout", type=float, default=60)
    a = ap.parse_args()
    r = run_cases(a.cases, a.hv, Machine(gic=a.gic, cpu=a.cpu, smp=a.smp), a.timeout)
    print(r.output)
    print("----")
    for v in r.verdicts:
        print(v.domid, v.case, v.status, v.rest)
    print(r.describe().splitlines()[0])
