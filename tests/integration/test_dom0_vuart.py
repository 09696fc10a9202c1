"""`vuart = "sbsa_uart"` of xl.cfg (issue 10): the emulated SBSA UART whose
backend is a domain. tests/dom0/xen_vuart.c (/bin/xen-vuart) builds a domain as
libxl does, populating the ring page 0x39003 and calling DOMCTL vuart_op INIT,
then acts as xenconsoled: maps the ring page (a foreign mapping), binds the
returned port through /dev/xen/evtchn, and serves the ring. The guest payload
drives the UART at 0x22000000 with its MMU off, polling FR.

Checked, on both sides, under Cloison and (`-m xen`) Xen 4.17 alike:
- the domctl's refusals in Xen's order and codes (pad, cmd -EINVAL; type
  -EOPNOTSUPP; a ring page that is not RAM -EINVAL; a second INIT -EINVAL;
  after the unpause -EPERM); the guest's port hidden from EVTCHNOP_status
  (-EACCES, a Xen-attached channel), dom0's end bound to it;
- the guest's line reaches dom0 through the ring, dom0's byte reaches the
  guest's DR; the guest saw RIS = RT|TX before its read and FR = TXFE|RXFE
  after it (flags following the ring's fill levels as Xen's do);
- while dom0 does not read, the guest fills `out` to exactly 2048 bytes and
  waits on TXFF; nothing of its 5000-byte flood is lost or reordered once
  dom0 drains and notifies;
- the domain powers off and is destroyed.
"""

import re
import tempfile
from pathlib import Path

import pytest

import qemu
from test_dom0_ctl import SMP
from test_dom0_foreign import BOOT_TIMEOUT, command

EPERM, EACCES, EINVAL, EOPNOTSUPP = 1, 13, 22, 95
INTERDOMAIN = 2   # EVTCHNSTAT_interdomain


def fields(text: str) -> dict:
    """key=value words; anything else (a kernel message that came in the
    middle of the line) is left out."""
    return dict(kv.split("=", 1) for kv in text.split() if "=" in kv)


def run(hv: str) -> None:
    machine = qemu.Machine(gic=3, smp=SMP, mem_mib=2048)
    domu = qemu.Domain("idle", cpus=1)
    with tempfile.TemporaryDirectory(prefix="cloison-it-") as tmp:
        cmd = command(machine, domu, Path(tmp), hv)
        kw = {"hv": "xen"} if hv == "xen" else {}
        with qemu.Console([], machine=machine, cmd=cmd, **kw) as con:
            con.expect(qemu.LINUX_UP_RE, timeout=BOOT_TIMEOUT, since=0)
            mod = con.expect(r"XENMOD xen-evtchn (\S+)[^\n]*\n", timeout=60, since=0)
            assert mod.group(1) == "ok", mod.group(0)
            con.wait_shell(120)
            mark = len(con.res.output)
            con.line("xen-vuart")
            con.expect(r"XV (done|fail [^\r\n]*)\r*\n", 180, since=mark)
            out = con.res.output[mark:]
            where = f" ({hv})\n" + out[-3000:] + "\n" + con.describe()
            assert "XV fail" not in out, where
            got = {}
            for m in re.finditer(r"XV (\w+) ([^\r\n]*)\r*\n", out):
                got.setdefault(m.group(1), []).append(m.group(2))

            checks = {f["what"]: f for f in map(fields, got["check"])}
            assert checks["pad"]["errno"] == str(EINVAL), checks["pad"]
            assert checks["cmd"]["errno"] == str(EINVAL), checks["cmd"]
            assert checks["type"]["errno"] == str(EOPNOTSUPP), checks["type"]
            assert checks["gfn"]["errno"] == str(EINVAL), checks["gfn"]
            (init,) = map(fields, got["init"])
            assert init["rc"] == "0" and int(init["evtchn"]) > 0, init
            (again,) = map(fields, got["again"])
            assert again["errno"] == str(EINVAL), again
            (late,) = map(fields, got["late"])
            assert late["errno"] == str(EPERM), late
            st = {f["when"]: f for f in map(fields, got["status"])}
            # The guest's end is Xen-attached: hidden from EVTCHNOP_status.
            assert st["guest"]["rc"] == str(-EACCES), st["guest"]
            # dom0's end (what xenconsoled checks): bound to it.
            assert (st["local"]["rc"], st["local"]["status"], st["local"]["port"]) == \
                ("0", str(INTERDOMAIN), init["evtchn"]), st["local"]
            (sd,) = map(fields, got["shutdown"])
            assert st["local"]["dom"] == sd["id"], (st["local"], sd)

            lines = got.get("guest", [])
            assert lines[:1] == ["VUART-HELLO"], where
            assert "VUART-GOT=Z RIS=0060 FR=0090" in lines, where
            assert lines[-1:] == ["VUART-END"], where
            (stalled,) = map(fields, got["stalled"])
            assert stalled["queued"] == "2048", stalled
            (pattern,) = map(fields, got["pattern"])
            assert (pattern["n"], pattern["bad"]) == ("5000", "0"), pattern
            (ev,) = map(fields, got["events"])
            assert int(ev["n"]) >= 3, ev
            assert sd["reason"] == "0", sd
            (gone,) = map(fields, got["gone"])
            assert gone["ok"] == "1", gone


def test_dom0_vuart(cloison):
    run("cloison")


@pytest.mark.xen
def test_dom0_vuart_xen(xen):
    run("xen")
