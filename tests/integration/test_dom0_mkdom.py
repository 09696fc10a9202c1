"""Domains built at run time by dom0 with the toolstack's own calls (issue 10,
stage 2, without libxl): tests/dom0/xen_mkdom.c (/bin/xen-mkdom) issues
DOMCTL createdomain, max_vcpus, max_mem, XENMEM_populate_physmap on the new
domain, maps its RAM through privcmd to load a tiny kernel, cacheflush,
setvcpucontext and unpausedomain, waits for the guest's poweroff through
getdomaininfo, then destroydomain, and does it again.

Checked on what the hypervisor and the guest print:
- each new domain is paused until its unpause, owns exactly the 2 MiB populated,
  starts with the registers the toolstack set (x0 checked by the guest itself),
  prints through console_io and powers off;
- a shut-down toolstack domain waits for destroydomain (its reason visible to
  getdomaininfo), then disappears;
- ids come from a rover: each build gets a new, higher id (xl's domid history
  depends on it);
- memory comes back exactly: the free memory Cloison reports after every
  destroy, plus dom0's own stage-2 tables, is the same once the first
  domain's one-time heap growth is done;
- the toolstack pauses a running boot (dom0less) domain: while paused it gets
  no CPU time and shows `paused`; unpaused, it runs again; destroydomain ends
  it for good (its on_poweroff=restart is not applied to a destroy).
"""

import re
import tempfile
from pathlib import Path

import qemu
from test_dom0_ctl import SMP
from test_dom0_foreign import BOOT_TIMEOUT, command

ROUNDS = 12


def test_dom0_builds_domains(cloison):
    machine = qemu.Machine(gic=3, smp=SMP, mem_mib=2048)
    domu = qemu.Domain("worker", cpus=1, bootargs="ticks=1000000", on_poweroff="restart",
                       on_crash="restart")
    with tempfile.TemporaryDirectory(prefix="cloison-it-") as tmp:
        cmd = command(machine, domu, Path(tmp), "cloison")
        with qemu.Console([], machine=machine, cmd=cmd) as con:
            con.expect(qemu.LINUX_UP_RE, timeout=BOOT_TIMEOUT, since=0)
            mod = con.expect(r"XENMOD xen-privcmd (\S+)[^\n]*\n", timeout=60, since=0)
            assert mod.group(1) == "ok", mod.group(0)
            con.wait_shell(120)
            mark = len(con.res.output)
            con.line(f"xen-mkdom {ROUNDS}")
            con.expect(r"XM (done n=\d+|fail [^\r\n]*)\r*\n", 60 * ROUNDS, since=mark)
            out = con.res.output[mark:]
            where = "\n" + con.describe()
            assert "XM fail" not in out, out[-2000:] + where

            created = [int(m.group(1)) for m in re.finditer(r"XM created n=\d+ rc=0 errno=0 "
                                                            r"id=(\d+) gic=2\r*\n", out)]
            assert len(created) == ROUNDS, out[-2000:] + where
            # Rover: strictly increasing ids, none reused although each died.
            assert created == sorted(set(created)) and created[0] >= 2, created
            for m in re.finditer(r"XM built id=(\d+) paused=(\d) tot_pages=(\d+) "
                                 r"max_pages=(\d+)\r*\n", out):
                assert (m.group(2), m.group(3), m.group(4)) == ("1", "512", "512"), m.group(0)
            full = con.res.output
            for dom in created:
                assert re.search(rf"\(d{dom}\) MKDOM-GUEST-HELLO", full), f"d{dom} silent" + where
                assert f"XM shutdown id={dom} reason=0" in out, f"d{dom}" + where
                assert f"XM gone id={dom}" in out, f"d{dom}" + where
            assert "MKDOM-GUEST-BADX0" not in full, where
            # Every destroy gives everything back: the same free memory each
            # time after the first (whose build grew the heap once).
            # dom0's own stage-2 tables (its foreign maps land in fresh 2 MiB
            # regions now and then) are counted beside the free memory.
            free = [int(m.group(2)) + int(m.group(3)) for m in
                    re.finditer(r"d(\d+): destroyed, (\d+) KiB free, heap \d+ B in \d+ "
                                r"pages, dom0 stage 2 (\d+) KiB", full)
                    if int(m.group(1)) in created]
            assert len(free) == ROUNDS, free
            assert len(set(free[1:])) == 1, f"free + dom0 stage-2 KiB after each destroy: {free}" + where

            # The boot domain d1 (worker, always computing): pause, unpause, destroy.
            mark = len(con.res.output)
            con.line("xen-mkdom pause 1")
            con.expect(r"XM (done n=\d+|fail [^\r\n]*)\r*\n", 60, since=mark)
            out = con.res.output[mark:]
            p = re.search(r"XM paused id=1 flags=0x([0-9a-f]+) t0=(\d+) t1=(\d+)", out)
            u = re.search(r"XM unpaused id=1 flags=0x([0-9a-f]+) t2=(\d+)", out)
            assert p and u, out + where
            assert int(p.group(1), 16) & 0x8 and not int(u.group(1), 16) & 0x8, out
            assert p.group(2) == p.group(3), f"ran while paused: {out}"
            assert int(u.group(2)) > int(p.group(3)), f"did not run again: {out}"
            mark = len(con.res.output)
            con.line("xen-mkdom kill 1")
            con.expect(r"XM (done n=\d+|fail [^\r\n]*)\r*\n", 60, since=mark)
            assert "XM gone id=1" in con.res.output[mark:], con.res.output[mark:] + where
            con.expect(r"d1: destroyed, \d+ KiB free", 30, since=mark)
            # Never built again: the restart policy is for its own shutdowns.
            assert not re.search(r"\bd1 \(|d\d+ \(domU1\)", con.res.output[mark:]
                                 .split("d1: destroyed")[1]), con.res.output[mark:]
