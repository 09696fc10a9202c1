#!/usr/bin/env python3
"""`make run`: boot Cloison in QEMU with a handful of test guests side by side.

Four pCPUs on a GICv3 board; six domains: hello (console_io), timer (virtual timer
at 100 Hz), smp (a second vCPU via PSCI CPU_ON), worker, fault (touches memory it
does not own: contained) and hcall_null (100k hypercalls). The console is yours:
output streams live, and QEMU exits by itself when the last domain powers off.
Options: --gic 2|3, --cpu cortex-a57|max, --smp N, and guest case names.
"""
import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "integration"))
import qemu  # noqa: E402

DEFAULT_CASES = ["hello", "timer", "smp", "worker", "fault", "hcall_null"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("cases", nargs="*", default=DEFAULT_CASES)
    ap.add_argument("--gic", type=int, default=3, choices=[2, 3])
    ap.add_argument("--cpu", default="cortex-a57")
    ap.add_argument("--smp", type=int, default=4)
    args = ap.parse_args()
    machine = qemu.Machine(gic=args.gic, cpu=args.cpu, smp=args.smp)
    domains = [qemu.Domain(c, cpus=2 if c == "smp" else 1) for c in args.cases]
    with tempfile.TemporaryDirectory(prefix="cloison-demo-") as tmp:
        dtb = qemu.host_dtb(machine, domains, Path(tmp) / "host.dtb")
        cmd = [qemu.QEMU, *machine.qemu_args(), "-nodefaults", "-display", "none",
               "-serial", "mon:stdio", "-kernel", str(qemu.CLOISON_BIN), "-dtb", str(dtb),
               *qemu.module_loaders(domains)]
        print("$ " + " ".join(cmd), flush=True)
        try:
            return subprocess.run(cmd, timeout=300).returncode
        except subprocess.TimeoutExpired:
            print("demo: still running after 300 s, stopped", file=sys.stderr)
            return 1


if __name__ == "__main__":
    sys.exit(main())
