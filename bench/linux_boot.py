#!/usr/bin/python3
"""Linux boot time: native vs Cloison vs Xen 4.17, on 1 and 2 pCPUs, wall clock and -icount.

Debian's cloud-arm64 kernel with the busybox initramfs (scripts/fetch-guests.sh,
scripts/mkinitramfs.py), booted by the same QEMU (-M virt -cpu cortex-a57, GICv3):

  native  QEMU boots the kernel itself (no EL2), N CPUs, the domain's RAM;
  domU    a dom0less domU with N vCPUs on an N-pCPU host (tests/integration/test_linux.py);
  dom0    the kernel as dom0 with N vCPUs, dom0_mem=512M (test_dom0.py's guest-loader
          modules); its native baseline has 512 MiB.

Two figures per boot, both to the kernel's "Freeing unused kernel memory" line (the
last kernel line before /init runs):

  wall    seconds from QEMU's start (hypervisor boot and domain build included) on a
          free-running QEMU; noisy on a shared host, so runs are interleaved and the
          median is shown;
  vtime   the kernel's own printk timestamp of that line under
          `-icount shift=0,sleep=off`: virtual seconds since the kernel's clock
          started, where every executed instruction, the hypervisor's included,
          advances the clock 1 ns and idle time is skipped. Deterministic: it is the
          work the boot costs, traps and their handling included.

  cpu     QEMU's CPU seconds (user + system, all threads) at the marker on the same
          wall-clock runs: what the boot cost the host, idle not counted; on a shared
          host far steadier than wall clock.

The ratios are to native; 1.15 is issue 11's target. Then Cloison's trap counts by
class for one domU and one dom0 boot (the 't' debug key; see DESIGN.md §"Entry and
exit path").

--variants adds Cloison with options (DESIGN.md §"Entry and exit path"): pages =
p2m_pages=true (stage 2 in 4 KiB pages from the start: QEMU's soft TLB then sees no
large pages), blocks = p2m_pages=false (2 MiB blocks kept, as on hardware; Cloison's
default on QEMU's board splits each block into pages at the guest's first touch),
noscrub = bootscrub=false (RAM untouched since boot not zeroed), pg+nos = pages and
noscrub, ipa44 = ipa_bits=44 (a 44-bit IPA space, a 4-level stage-2 walk, as before
Cloison sized the space to the host's map: 40 bits and 3 levels on QEMU's board). --flushes prints
only QEMU's own software-TLB flush counts (monitor `info jit`) over one -icount boot each.

Run: /usr/bin/python3 bench/linux_boot.py [--runs N] [--cpus 1 2] [--roles domU dom0]
[--no-xen] [--variants pages blocks noscrub pg+nos ipa44] [--no-icount] [--flushes]. A hypervisor
that is missing or fails shows as n/a. For reading, not asserting. About 12 minutes with
the defaults on a two-core host.
"""

import argparse
import os
import re
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "integration"))
import qemu  # noqa: E402
from test_dom0 import dom0_command  # noqa: E402

MARKER_RE = r"\[\s*(\d+\.\d+)\] Freeing unused kernel memory"
DOM0_MIB = 512
TOP_DETAILS = 12
TIMEOUT = 240  # a boot under load takes < 100 s; Xen 4.17 with 2 pCPUs under -icount never gets there


def machine(cpus, icount, mem_mib=None):
    kw = {"mem_mib": mem_mib} if mem_mib else {}
    return qemu.Machine(gic=3, smp=cpus, icount_shift=0 if icount else None, **kw)


# Cloison variants: the same image with extra boot options.
VARIANTS = {"pages": " p2m_pages=true", "blocks": " p2m_pages=false", "ipa44": " ipa_bits=44",
            "noscrub": " bootscrub=false", "pg+nos": " p2m_pages=true bootscrub=false"}


def command(hv, role, cpus, icount, workdir, count=False):
    """(QEMU command, domains for qemu.Console) for one boot; count: Cloison counts
    traps (boot option trapcount). hv may be a Cloison variant (VARIANTS)."""
    extra = (" trapcount" if count else "") + VARIANTS.get(hv, "")
    hv = "cloison" if hv in VARIANTS else hv
    if role == "dom0":
        m = machine(cpus, icount, mem_mib=2048)
        if hv == "native":
            return qemu.native_command(m, qemu.LinuxDomain(cpus=cpus, mem_kib=DOM0_MIB * 1024)), []
        return dom0_command(m, dom0_mem=f"{DOM0_MIB}M", hv=hv,
                            hv_bootargs=f"dom0_max_vcpus={cpus}{extra}"), []
    dom = qemu.LinuxDomain(cpus=cpus)
    m = machine(cpus, icount)
    if hv == "native":
        return qemu.native_command(m, dom), []
    bootargs = (qemu.XEN_BOOTARGS if hv == "xen" else qemu.CLOISON_BOOTARGS) + extra
    return qemu.hv_command([dom], hv, m, workdir, bootargs), [dom]


def icount_args(cmd):
    # sleep=off: idle time is skipped, so the virtual clock counts work only.
    return ["shift=0,sleep=off" if a == "shift=0" else a for a in cmd]


def with_monitor(cmd, sock):
    """cmd with QEMU's human monitor on a Unix socket instead of none."""
    out = list(cmd)
    for i in range(len(out) - 1):
        if out[i] == "-monitor":
            out[i + 1] = f"unix:{sock},server=on,wait=off"
            return out
    return out + ["-monitor", f"unix:{sock},server=on,wait=off"]


def monitor_query(sock, line):
    """One HMP command's output."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(20)
        s.connect(str(sock))
        buf = b""
        while not buf.endswith(b"(qemu) "):
            buf += s.recv(4096)
        s.sendall(line.encode() + b"\n")
        buf = b""
        while not buf.endswith(b"(qemu) "):
            buf += s.recv(4096)
        return buf.decode(errors="replace")


def cpu_seconds(pid):
    """CPU time (user + system) QEMU has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def boot(hv, role, cpus, icount, flushes=False):
    """(wall seconds from QEMU's start, the kernel's timestamp, QEMU's CPU
    seconds) at the marker;
    flushes: also QEMU's TLB flush counts then ({"full": n, "partial": n,
    "elided": n}, from the monitor's `info jit`)."""
    with tempfile.TemporaryDirectory() as wd:
        cmd, doms = command(hv, role, cpus, icount, Path(wd))
        if icount:
            cmd = icount_args(cmd)
        sock = Path(wd) / "mon.sock"
        if flushes:
            cmd = with_monitor(cmd, sock)
        con_hv = "xen" if hv == "xen" else "cloison"
        with qemu.Console(doms, con_hv, cmd=cmd) as con:
            m = con.expect(MARKER_RE, timeout=TIMEOUT)
            res = (time.monotonic() - con.start, float(m.group(1)), cpu_seconds(con.proc.pid))
            if flushes:
                jit = monitor_query(sock, "info jit")
                res += ({k: int(n) for k, n in
                         re.findall(r"TLB (full|partial|elided) flushes\s+(\d+)", jit)},)
            return res


def fmt(x, spec):
    return "n/a" if x is None else format(x, spec)


def ratio(a, b):
    return "n/a" if a is None or b is None or not b else f"{a / b:.2f}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=2, help="wall-clock runs per configuration")
    ap.add_argument("--cpus", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--roles", nargs="+", default=["domU", "dom0"], choices=["domU", "dom0"])
    ap.add_argument("--no-xen", action="store_true")
    ap.add_argument("--no-traps", action="store_true")
    ap.add_argument("--variants", nargs="*", default=[], choices=sorted(VARIANTS),
                    help="also Cloison with these options: pages = p2m_pages=true (stage-2 "
                         "in 4 KiB pages), blocks = p2m_pages=false, noscrub = "
                         "bootscrub=false, pg+nos = pages and noscrub")
    ap.add_argument("--no-icount", action="store_true", help="wall clock only")
    ap.add_argument("--flushes", action="store_true",
                    help="only QEMU's TLB flush counts over one -icount boot of each")
    args = ap.parse_args()
    hvs = ["native", "cloison"] + args.variants + ([] if args.no_xen else ["xen"])
    configs = [(role, cpus) for role in args.roles for cpus in args.cpus]
    if args.flushes:
        print_flushes(hvs, configs)
        return
    wall = {(hv, c): [] for hv in hvs for c in configs}
    cpu = {(hv, c): [] for hv in hvs for c in configs}
    vtime = {}
    # Interleaved: every configuration once per round, so host noise spreads evenly.
    for rnd in range(args.runs):
        for c in configs:
            for hv in hvs:
                try:
                    w, _, cs = boot(hv, *c, icount=False)
                    wall[(hv, c)].append(w)
                    cpu[(hv, c)].append(cs)
                except (RuntimeError, AssertionError, FileNotFoundError) as e:
                    print(f"[{hv} {c[0]} {c[1]}cpu] wall: {str(e).splitlines()[0]}",
                          file=sys.stderr)
                if rnd == 0 and not args.no_icount:
                    try:
                        vtime[(hv, c)] = boot(hv, *c, icount=True)[1]
                    except (RuntimeError, AssertionError, FileNotFoundError) as e:
                        vtime[(hv, c)] = None
                        print(f"[{hv} {c[0]} {c[1]}cpu] icount: {str(e).splitlines()[0]}",
                              file=sys.stderr)

    print("Linux boot to 'Freeing unused kernel memory' (Debian cloud-arm64, cortex-a57, GICv3)")
    print(f"{'':14} {'wall s (median of ' + str(args.runs) + ')':>36}   "
          f"{'vtime s (-icount shift=0,sleep=off)':>40}")
    head = " ".join(f"{hv:>8}" for hv in hvs)
    rh = " ".join(f"{hv[:3] + '/nat':>8}" for hv in hvs[1:])
    print(f"{'config':14} {head} {rh}   {head} {rh}")
    for c in configs:
        w = {hv: statistics.median(wall[(hv, c)]) if wall[(hv, c)] else None for hv in hvs}
        v = {hv: vtime.get((hv, c)) for hv in hvs}
        print(f"{c[0] + ' ' + str(c[1]) + 'cpu':14} "
              + " ".join(f"{fmt(w[hv], '.2f'):>8}" for hv in hvs) + " "
              + " ".join(f"{ratio(w[hv], w['native']):>8}" for hv in hvs[1:]) + "   "
              + " ".join(f"{fmt(v[hv], '.3f'):>8}" for hv in hvs) + " "
              + " ".join(f"{ratio(v[hv], v['native']):>8}" for hv in hvs[1:]))
    print()
    print("QEMU's CPU seconds (user + system, all threads) at the marker, median of the same "
          "runs: on a shared host steadier than wall clock, idle time not counted")
    print(f"{'config':14} {head} {rh}")
    for c in configs:
        u = {hv: statistics.median(cpu[(hv, c)]) if cpu[(hv, c)] else None for hv in hvs}
        print(f"{c[0] + ' ' + str(c[1]) + 'cpu':14} "
              + " ".join(f"{fmt(u[hv], '.2f'):>8}" for hv in hvs) + " "
              + " ".join(f"{ratio(u[hv], u['native']):>8}" for hv in hvs[1:]))
    print("runs (wall s / CPU s, in order):")
    for c in configs:
        for hv in hvs:
            runs = " ".join(f"{w:.2f}/{u:.2f}" for w, u in zip(wall[(hv, c)], cpu[(hv, c)]))
            print(f"  {c[0] + ' ' + str(c[1]) + 'cpu':14} {hv:>8}: {runs}")
    if not args.no_traps:
        print()
        for role in args.roles:
            try:
                print_traps(role)
            except (RuntimeError, AssertionError, FileNotFoundError) as e:
                print(f"traps ({role}): n/a: {str(e).splitlines()[0]}")


def print_flushes(hvs, configs):
    """QEMU's own count of software-TLB flushes (all its CPUs) from its start
    to the marker, under -icount (the same guest work each time). "full": a
    whole-TLB flush asked for (a TLBI ALL, a TCR/TTBR/SCTLR/HCR/VTTBR write
    that QEMU answers with a flush); "partial": flushes of some MMU indexes;
    not counted by QEMU: single-page flushes, and the whole-TLB flush a
    page flush turns into inside a large-page region (DESIGN.md, Stage-2)."""
    print("QEMU software-TLB flushes to the marker (-icount; info jit)")
    print(f"{'config':14} {'hv':>8} {'full':>9} {'partial':>9} {'elided':>9} {'vtime s':>8}")
    for c in configs:
        for hv in hvs:
            try:
                _, vt, _, f = boot(hv, *c, icount=True, flushes=True)
                print(f"{c[0] + ' ' + str(c[1]) + 'cpu':14} {hv:>8} {f.get('full', 0):>9} "
                      f"{f.get('partial', 0):>9} {f.get('elided', 0):>9} {vt:>8.3f}")
            except (RuntimeError, AssertionError, FileNotFoundError, OSError) as e:
                print(f"{c[0] + ' ' + str(c[1]) + 'cpu':14} {hv:>8} n/a: {str(e).splitlines()[0]}")


def print_traps(role):
    """Cloison's trap counts by class over one 1-vCPU boot to the shell."""
    with tempfile.TemporaryDirectory() as wd:
        cmd, doms = command("cloison", role, 1, True, Path(wd), count=True)
        with qemu.Console(doms, "cloison", cmd=icount_args(cmd)) as con:
            con.expect(qemu.LINUX_UP_RE, timeout=TIMEOUT)
            # Console input to the hypervisor (Ctrl-a x3 cycles through the domains).
            for _ in range(4):
                if con.focus_now() is None and qemu.FOCUS_RE.search(con.res.output):
                    break
                mark = len(con.res.output)
                con.write(qemu.SWITCH_INPUT)
                con.expect(qemu.FOCUS_RE, 10, since=mark)
            mark = len(con.res.output)
            con.write(b"t")
            con.expect(r"trap counts end.*", timeout=60, since=mark)
            text = con.res.output[mark:con.pos]
    print(f"Cloison trap counts, Linux {role} (1 vCPU), boot to the shell under -icount "
          f"(the {TOP_DETAILS} most frequent details):")
    shown = 0
    for ln in text.replace("\r", "").splitlines():
        ln = re.sub(r"^\(cloison\)\s*", "", ln).strip()
        if ln.startswith("trap counts"):
            print("  " + ln)
        elif re.match(r"(d\d+|idle) ", ln) and shown < TOP_DETAILS:
            print("    " + ln)
            shown += 1


if __name__ == "__main__":
    main()
