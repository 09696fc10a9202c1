#!/usr/bin/env python3
"""`make run`: Cloison with Debian's Xen 4.17 toolstack in dom0, one Linux domU made by xl.

QEMU boots the hypervisor (Cloison, or Xen 4.17 with --hv xen: the same session on
the reference) with the toolstack dom0 of tests/integration/test_toolstack.py: Debian's
arm64 kernel and build/linux/dom0fs.cpio (Debian's xen-utils-4.17, started by its own
/etc/init.d/xen). The demo then types, on dom0's console, as a user would:

    xl list                          Domain-0 alone
    xl create -c /etc/xen/demo.cfg   a Linux domU (Debian's kernel, busybox), its
                                     console from the first line; `uname -r` typed
                                     into it, then Ctrl-] detaches
    xl list                          Domain-0 and demo

and leaves you at dom0's shell (the terminal is QEMU's serial console, raw). From there:
`xl console demo` (Ctrl-] detaches), `xl destroy demo`, `xl create /etc/xen/linux.cfg -c`
(a PV disk and network), ... Ctrl-a three times switches the console input between
dom0 and the hypervisor (its debug keys), as on Xen. To leave: Ctrl-\\ stops QEMU at once
(the demo's own key: QEMU's Ctrl-a would fight the hypervisor's), or `poweroff -f` in dom0
once no domU is left (the machine then powers off; dom0's init is a shell script, so a
plain `poweroff`, which asks init, does nothing).

  --check   non-interactive (tests, CI): the same session, then `xl destroy demo` and
            `xl list` back to Domain-0 alone; prints `DEMO PASS (<hv>)` or
            `DEMO FAIL (<hv>): <step>: <what was seen>` and exits 0 or 1.
  --guests  the former demo: dom0less test guests side by side, no dom0.
  --speedometer  the isolation scenario (scripts/demo_speedometer.py): a periodic
            guest in a null cpupool of its own keeps its deadlines, shown live, while a
            Linux domU beside it crashes and restarts in a loop (with --check: until it
            has come back twice, then a verdict).

A step that fails is reported as such, with what the console showed, never skipped:
in the interactive mode you still get dom0's shell when it is up, under that report.
"""
import argparse
import os
import re
import selectors
import sys
import tempfile
import termios
import time
import tty
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "integration"))
import qemu  # noqa: E402
import test_toolstack as ts  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import demo_speedometer  # noqa: E402

GUEST_CASES = ["hello", "timer", "smp", "worker", "fault", "hcall_null"]
LEAVE_KEY = b"\x1c"          # Ctrl-\ leaves QEMU
DETACH_KEY = b"\x1d"         # Ctrl-]: xenconsole's detach
DOM0_PROMPT = r"dom0 # "       # may follow a domU's last prompt on its line
DOMU_PROMPT = r"~ # "


class Failed(Exception):
    """A step of the session did not give what it should: (step, what was seen)."""

    def __init__(self, step: str, seen: str):
        super().__init__(f"{step}: {seen}")
        self.step, self.seen = step, seen


class TeeConsole(qemu.Console):
    """A qemu.Console whose output is also shown on the terminal as it arrives."""

    def __init__(self, *args, show: bool = True, **kw):
        self.show = show
        super().__init__(*args, **kw)

    def pump(self, wait: float) -> bool:
        before = len(self.res.output)
        alive = super().pump(wait)
        if self.show and len(self.res.output) > before:
            sys.stdout.write(self.res.output[before:])
            sys.stdout.flush()
        return alive


class Demo:
    """The scripted session on dom0's console; each step raises Failed with what it saw."""

    def __init__(self, con: TeeConsole, hv: str):
        self.con, self.hv = con, hv

    def say(self, text: str) -> None:
        """A line of the demo's own, set apart from the console's."""
        bold, plain = ("\x1b[1m", "\x1b[0m") if sys.stdout.isatty() else ("", "")
        sys.stdout.write(f"\r\n{bold}[demo] {text}{plain}\r\n")
        sys.stdout.flush()

    def wait(self, step: str, pattern: str, timeout: float, since: int):
        try:
            return self.con.expect(pattern, timeout, since=since)
        except qemu.Expired:
            raise Failed(step, self.tail(since)) from None

    def tail(self, since: int, lines: int = 12) -> str:
        text = self.con.res.output[since:].replace("\r", "")
        got = [ln for ln in text.split("\n") if ln.strip()][-lines:]
        why = "QEMU exited" if self.con.eof else "nothing more within the time allowed"
        return (f"{why}; the console's last lines:\n    " + "\n    ".join(got)) if got else why

    def run(self, cmd: str, timeout: float = ts.STEP) -> str:
        """Type cmd at dom0's prompt; its output, once the prompt is back."""
        mark = len(self.con.res.output)
        self.con.line(cmd)
        # The prompt after the echo of the line: not one already on its way.
        echo = self.wait(cmd, re.escape(cmd) + r"\r*\n", 60, mark)
        m = self.wait(cmd, DOM0_PROMPT, timeout, echo.end())
        return self.con.res.output[echo.end():m.start()].replace("\r", "")

    def boot(self) -> None:
        step = "boot: hypervisor, dom0's kernel, /etc/init.d/xen"
        up = self.wait(step, r"CLOISON-DOM0FS-UP xen=(\S+) xenstored=(\S+) xenconsoled=(\S+) "
                       r"bridge=(\S+) kernel=\S+\r*\n", ts.BOOT_TIMEOUT, 0)
        if up.group(1) != "0" or up.group(2) == "none" or up.group(3) != "yes":
            raise Failed(step, f"the toolstack did not start: {up.group(0).strip()}")
        self.wait("dom0's shell", DOM0_PROMPT, 120, up.end())
        time.sleep(0.5)    # bash sets the terminal up (.bashrc) after its first prompt

    def xl_list(self) -> dict:
        out = self.run("xl list")
        return {m.group("name"): m.groupdict() for m in ts.LIST_RE.finditer(out)}

    def expect_listed(self, names: list[str]) -> None:
        doms = self.xl_list()
        if list(doms) != names:
            raise Failed("xl list", f"expected {', '.join(names)}; listed: "
                         f"{', '.join(doms) or 'nothing'}")

    def create(self) -> float:
        """`xl create -c`: the domU's console from its first line, a command typed into
        it, Ctrl-] back to dom0. Seconds from Enter to the domU's first line."""
        step = "xl create -c /etc/xen/demo.cfg"
        mark = len(self.con.res.output)
        self.con.line(step)
        t0 = time.monotonic()
        # Either the domU's kernel speaks, or xl gives up and dom0's prompt is back.
        m = self.wait(step, r"Booting Linux on physical CPU|" + DOM0_PROMPT, ts.DOMU_BOOT, mark)
        if "Booting" not in m.group(0):
            raise Failed(step, "xl returned without a domain console; it printed:\n    "
                         + "\n    ".join(self.con.res.output[mark:m.start()]
                                         .replace("\r", "").strip().split("\n")[1:]))
        first = time.monotonic() - t0
        self.wait(f"{step}: the domU's userspace", ts.DOMU_UP.format(name="demo"),
                  ts.DOMU_BOOT, mark)
        self.wait(f"{step}: the domU's shell", DOMU_PROMPT, 120, mark)
        time.sleep(0.5)
        mark = len(self.con.res.output)
        self.con.line("uname -r")
        self.wait("uname -r in the domU", r"\n\d+\.\d+\.\S+\r*\n", 60, mark)
        mark = len(self.con.res.output)
        self.con.write(DETACH_KEY)
        self.wait("Ctrl-] back to dom0", DOM0_PROMPT, 60, mark)
        time.sleep(0.5)
        self.con.write(b"\x15")      # Ctrl-U: a clean command line
        return first

    def session(self, check: bool) -> None:
        self.boot()
        self.expect_listed(["Domain-0"])
        first = self.create()
        self.expect_listed(["Domain-0", "demo"])
        self.say(f"xl create -> the domU's first console line: {first:.1f} s")
        if check:
            self.run("xl destroy demo")
            self.expect_listed(["Domain-0"])


def quiet_terminal() -> list:
    """cbreak mode (no echo, keys not buffered by line, signals kept); the old mode."""
    fd = sys.stdin.fileno()
    saved = termios.tcgetattr(fd)
    tty.setcbreak(fd)
    return saved


def passthrough(con: TeeConsole, fresh_prompt: bool = True) -> None:
    """The terminal is QEMU's console until Ctrl-\\ or QEMU exits."""
    fd = sys.stdin.fileno()
    saved = termios.tcgetattr(fd)
    tty.setraw(fd)
    termios.tcflush(fd, termios.TCIFLUSH)   # what was typed during the scripted part
    sel = selectors.DefaultSelector()
    sel.register(fd, selectors.EVENT_READ)
    sel.register(con.proc.stdout, selectors.EVENT_READ)
    out = con.proc.stdout.fileno()
    if fresh_prompt:
        con.write(b"\n")
    try:
        while True:
            for key, _ in sel.select():
                if key.fd == fd:
                    data = os.read(fd, 1024)
                    if LEAVE_KEY in data:
                        con.write(data[:data.index(LEAVE_KEY)])
                        return
                    con.write(data)
                else:
                    data = os.read(out, 65536)
                    if not data:
                        return
                    os.write(sys.stdout.fileno(), data)
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)
        sel.close()


def toolstack_demo(hv: str, check: bool) -> int:
    interactive = not check
    if interactive and not sys.stdin.isatty():
        print("demo: stdin is not a terminal: running the non-interactive session (--check)",
              flush=True)
        interactive = False
    cmd = ts.command(hv)
    print("$ " + " ".join(cmd), flush=True)
    with TeeConsole([], hv=hv, cmd=cmd) as con:
        demo = Demo(con, hv)
        failed = None
        # No echo of what is typed meanwhile (nor of the terminal's answers to the
        # guests' cursor queries); Ctrl-C still stops the demo.
        saved = quiet_terminal() if interactive else None
        try:
            demo.session(check=not interactive)
        except Failed as e:
            failed = e
        finally:
            if saved:
                termios.tcsetattr(sys.stdin.fileno(), termios.TCSADRAIN, saved)
        name = "Xen 4.17" if hv == "xen" else "Cloison"
        if failed:
            demo.say(f"DEMO FAIL ({hv}): {failed.step}: {failed.seen}")
        if not interactive:
            if not failed:
                demo.say(f"DEMO PASS ({hv}): xl list, xl create -c, console in and out, "
                         "xl list with both, xl destroy")
            return 1 if failed else 0
        if con.eof:
            return 1
        leave = ("Ctrl-a x3: the hypervisor's console and back. Leave: Ctrl-\\ "
                 "(or `poweroff -f` in dom0 once no domU is left).")
        if failed:
            demo.say(f"{name}, Debian's Xen 4.17 toolstack in dom0: the session stopped at "
                     f"the step above; dom0's shell is yours. {leave}")
        else:
            demo.say(f"{name}, Debian's Xen 4.17 toolstack in dom0: you are at dom0's shell. "
                     "Try `xl list`, `xl console demo` (Ctrl-] detaches), `xl destroy demo`, "
                     f"`xl create /etc/xen/linux.cfg -c`. {leave}")
        passthrough(con)
        print("\r\ndemo: QEMU stopped", flush=True)
        return 1 if failed else 0


def guests_demo(args) -> int:
    """Four pCPUs on a GICv3 board, one dom0less test guest per case, no dom0; the
    console is yours as in the toolstack demo; QEMU exits when the last domain powers
    off."""
    machine = qemu.Machine(gic=args.gic, cpu=args.cpu, smp=args.smp)
    domains = [qemu.Domain(c, cpus=2 if c == "smp" else 1) for c in args.cases]
    with tempfile.TemporaryDirectory(prefix="cloison-demo-") as tmp:
        cmd = qemu.hv_command(domains, args.hv, machine, Path(tmp))
        print("$ " + " ".join(cmd), flush=True)
        with TeeConsole([], hv=args.hv, cmd=cmd) as con:
            if sys.stdin.isatty():
                con.show = False        # passthrough() shows what follows
                passthrough(con, fresh_prompt=False)
            elif not con.wait_exit(300):
                print("demo: still running after 300 s, stopped", file=sys.stderr)
                return 1
        print("\r\ndemo: QEMU stopped", flush=True)
        return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="\n".join(__doc__.splitlines()[2:]))
    ap.add_argument("--hv", default="cloison", choices=["cloison", "xen"])
    ap.add_argument("--check", action="store_true", help="non-interactive, with a verdict")
    ap.add_argument("--guests", action="store_true", help="dom0less test guests, no dom0")
    ap.add_argument("--speedometer", action="store_true",
                    help="a periodic guest in a null pool beside a crash-looping Linux")
    ap.add_argument("--raw", action="store_true", help="with --speedometer: the whole console")
    ap.add_argument("cases", nargs="*", default=GUEST_CASES, help="with --guests")
    ap.add_argument("--gic", type=int, default=3, choices=[2, 3], help="with --guests")
    ap.add_argument("--cpu", default="cortex-a57", help="with --guests")
    ap.add_argument("--smp", type=int, default=4, help="with --guests")
    args = ap.parse_args()
    if args.guests:
        return guests_demo(args)
    if args.speedometer:
        try:
            return demo_speedometer.run(args.hv, check_s=600 if args.check else 0,
                                        raw=args.raw)
        except FileNotFoundError as e:
            print(f"demo: {e}", file=sys.stderr)
            return 1
    try:
        return toolstack_demo(args.hv, args.check)
    except FileNotFoundError as e:
        print(f"demo: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
