"""libvirt's libxl driver in the toolstack dom0 (issue 10, stretch).

dom0 is test_toolstack's (Debian's kernel, scripts/mkdom0fs.py's file system with
Debian's Xen 4.17 userspace) with the libvirt layer of scripts/mklibvirtfs.py loaded
after it: Debian 12's unmodified libvirtd 9.0 with its libxl driver
(libvirt-daemon-driver-xen) and virsh, started by Debian's /etc/init.d/libvirtd after
/etc/init.d/xen. Everything is typed on dom0's console and asserted on what virsh
prints, through `virsh -c xen:///system`:

  version, nodeinfo, list --all (Domain-0 alone)
  define /etc/xen/demo.xml (a PVH Linux domU, as /etc/xen/demo.cfg), start: its
      console's lines in xenconsoled's log; list (running, the id xl gives),
      dominfo; destroy (shut off, gone from xl list)
  start again, shutdown (libvirt destroys it on its poweroff: on_poweroff=destroy);
      the domain is released (xl list) and `xl info` free_memory is back where
      it was after the first destroy
  undefine: list --all shows Domain-0 alone

under Xen 4.17 (the reference) and under Cloison, in the same QEMU machine.
Timings are printed as `TOOLSTACK-TIMING` lines (pytest -s).
"""

import re
import time
from pathlib import Path

import pytest

import qemu
import test_toolstack as ts

LIBVIRTFS = qemu.BUILD / "linux" / "libvirt.cpio"
VIRSH = "virsh -c xen:///system"
CONSOLE_LOG = "/var/log/xen/console/guest-vdemo.log"
DEMO_KIB = 128 * 1024

# `virsh list` rows: " 0    Domain-0   running", " -    vdemo      shut off"
LIST_RE = re.compile(r"^\s*(?P<id>\d+|-)\s+(?P<name>\S+)\s+(?P<state>\S.*?)\s*$", re.M)


def layered_fs(workdir: Path) -> Path:
    """dom0fs.cpio followed by the libvirt layer (the kernel unpacks both)."""
    hint = "run `make guests-fetch` (scripts/fetch-libvirt.py, scripts/mklibvirtfs.py)"
    base = qemu._need(ts.DOM0FS, hint)
    layer = qemu._need(LIBVIRTFS, hint)
    out = workdir / "dom0fs-libvirt.cpio"
    out.write_bytes(base.read_bytes() + layer.read_bytes())
    return out


def virsh(s: ts.Session, args: str, timeout: float = ts.STEP) -> str:
    return s.ok(f"{VIRSH} {args}", timeout)


def virsh_list(s: ts.Session, all_: bool = True) -> dict:
    """{name: (id, state)} from `virsh list [--all]`."""
    out = virsh(s, "list --all" if all_ else "list")
    rows = out.split("\n")
    # Below the header line and its dashes.
    body = "\n".join(rows[next(i for i, r in enumerate(rows) if r.startswith("---")) + 1:])
    return {m.group("name"): (m.group("id"), m.group("state")) for m in LIST_RE.finditer(body)}


def fields(out: str) -> dict:
    """`Key:   value` lines (virsh dominfo, nodeinfo, version)."""
    return {m.group(1).strip(): m.group(2).strip()
            for m in re.finditer(r"^([^:\n]+):[ \t]*(.*)$", out, re.M)}


def console_up(s: ts.Session) -> bool:
    """The domU's userspace line in xenconsoled's log of its console."""
    rc, out = s.sh(f"grep -a CLOISON-LINUX-UP {CONSOLE_LOG}")
    return rc == 0 and re.search(r"CLOISON-LINUX-UP nproc=1 \S+ name=vdemo ", out) is not None


def start_vdemo(s: ts.Session, key: str) -> int:
    """`virsh start vdemo` until its console's first line and its userspace; its id."""
    s.ok(f"rm -f {CONSOLE_LOG}")
    t0 = time.monotonic()
    out = virsh(s, "start vdemo")
    s.timing(f"virsh_start_{key}", time.monotonic() - t0)
    assert "Domain 'vdemo' started" in out, out + s.where()
    s.wait_for("vdemo's first console line in xenconsoled's log",
               lambda: s.sh(f"grep -aq 'Booting Linux' {CONSOLE_LOG}")[0] == 0,
               ts.DOMU_BOOT)
    s.timing(f"virsh_start_to_first_console_line_{key}", time.monotonic() - t0)
    s.wait_for("vdemo's userspace line in xenconsoled's log", lambda: console_up(s),
               ts.DOMU_BOOT)
    s.timing(f"virsh_start_to_domu_userspace_{key}", time.monotonic() - t0)
    listed = virsh_list(s, all_=False)
    assert "vdemo" in listed and listed["vdemo"][1] == "running", f"{listed}" + s.where()
    domid = int(listed["vdemo"][0])
    assert domid >= 1 and s.domid("vdemo") == domid, f"{listed}" + s.where()
    return domid


def released(s: ts.Session) -> bool:
    """Only Domain-0 left in `xl list`: nothing keeps a dead domain (a domain dom0
    still maps stays listed, dying, as `(null)`)."""
    return s.only_dom0_listed()


def scenario(hv: str, workdir: Path) -> None:
    fs = layered_fs(workdir)
    with qemu.Console([], hv=hv, cmd=ts.command(hv, fs=fs)) as con:
        s = ts.Session(con, hv)
        t0 = time.monotonic()
        up = con.expect(r"CLOISON-DOM0FS-LIBVIRTD rc=(\d+) pid=(\S+)\r*\n", ts.BOOT_TIMEOUT,
                        since=0)
        s.timing("boot_to_libvirtd", time.monotonic() - t0)
        assert up.group(1) == "0" and up.group(2).isdigit(), \
            f"/etc/init.d/libvirtd start: {up.group(0)!r}" + s.where()
        ts.boot(con, s, "ocaml")

        # The daemon, its libxl driver and the host as libvirt sees it.
        ver = fields(virsh(s, "version"))
        assert ver.get("Using API") == "Xen 9.0.0", f"{ver}" + s.where()
        assert re.fullmatch(r"Xen 4\.17\.\d+", ver.get("Running hypervisor", "")), \
            f"{ver}" + s.where()
        node = fields(virsh(s, "nodeinfo"))
        assert (node.get("CPU model"), node.get("CPU(s)"), node.get("NUMA cell(s)")) == \
            ("aarch64", str(ts.SMP), "1"), f"{node}" + s.where()
        assert node.get("Memory size") == f"{ts.MACHINE_MIB * 1024} KiB", f"{node}" + s.where()
        listed = virsh_list(s)
        assert listed == {"Domain-0": ("0", "running")}, f"virsh list --all: {listed}" \
            + s.where()

        # define: persistent, shut off.
        out = virsh(s, "define /etc/xen/demo.xml")
        assert "Domain 'vdemo' defined from /etc/xen/demo.xml" in out, out + s.where()
        assert virsh_list(s).get("vdemo") == ("-", "shut off"), s.where()

        # start: the domU boots (its console, through xenconsoled), runs, is listed.
        domid = start_vdemo(s, "1")
        info = fields(virsh(s, "dominfo vdemo"))
        want = {"Id": str(domid), "Name": "vdemo", "OS Type": "xen", "State": "running",
                "CPU(s)": "1", "Max memory": f"{DEMO_KIB} KiB", "Persistent": "yes"}
        assert {k: info.get(k) for k in want} == want, f"dominfo: {info}" + s.where()
        used = int(info["Used memory"].split()[0])
        assert DEMO_KIB <= used <= DEMO_KIB + 1024, f"dominfo: {info}" + s.where()
        assert float(info["CPU time"].rstrip("s")) > 0, f"dominfo: {info}" + s.where()

        # destroy: shut off, still defined; the domain is gone.
        t0 = time.monotonic()
        out = virsh(s, "destroy vdemo")
        s.timing("virsh_destroy", time.monotonic() - t0)
        assert "Domain 'vdemo' destroyed" in out, out + s.where()
        assert virsh_list(s).get("vdemo") == ("-", "shut off"), s.where()
        s.wait_for("vdemo released after virsh destroy", lambda: released(s), 60)
        # Measured from here: dom0's first foreign mappings may have left it a
        # stage-2 table page (test_toolstack's cycles also start warm).
        free_before = s.free_mib()

        # start again, then a clean shutdown: the guest powers off, libvirt
        # destroys it (on_poweroff=destroy) and the domain is released.
        start_vdemo(s, "2")
        t0 = time.monotonic()
        out = virsh(s, "shutdown vdemo")
        assert "Domain 'vdemo' is being shutdown" in out, out + s.where()
        s.wait_for("vdemo shut off after virsh shutdown",
                   lambda: virsh_list(s).get("vdemo") == ("-", "shut off"), ts.STEP)
        s.timing("virsh_shutdown_to_shut_off", time.monotonic() - t0)
        s.wait_for("vdemo released after its poweroff", lambda: released(s), 60)

        # undefine: gone from libvirt too; the memory is all back.
        out = virsh(s, "undefine vdemo")
        assert "Domain 'vdemo' has been undefined" in out, out + s.where()
        listed = virsh_list(s)
        assert listed == {"Domain-0": ("0", "running")}, f"virsh list --all: {listed}" \
            + s.where()
        deadline = time.monotonic() + 60
        while (after := s.free_mib()) != free_before and time.monotonic() < deadline:
            time.sleep(2)
        assert after == free_before, \
            f"free_memory {free_before} MiB before, {after} after" + s.where()


def test_libvirt(cloison, tmp_path):
    scenario("cloison", tmp_path)


@pytest.mark.xen
def test_libvirt_xen(xen, tmp_path):
    scenario("xen", tmp_path)
