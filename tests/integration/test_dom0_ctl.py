"""The toolstack's read-only control calls from a Linux dom0 (issue 10,
stages 0-1): tests/dom0/xen_ctl.c (/bin/xen-ctl in the initramfs) issues
SYSCTL physinfo, getdomaininfolist, cpupool_op INFO and sched_id, DOMCTL
getdomaininfo and XENVER_commandline through Linux's IOCTL_PRIVCMD_HYPERCALL, as libxencall does, and
prints the answers; here they must describe the machine and the dom0less domU
beside dom0 (an `idle` guest with 2 vCPUs, one started). The same under Xen 4.17
(`-m xen`): the same checks hold there, apart from the figures that are the
hypervisor's own (free pages; Xen also reports the vpmu capability).
"""

import re
import tempfile
from pathlib import Path

import pytest

import qemu
from test_dom0_foreign import BOOT_TIMEOUT, STEP_TIMEOUT, command

SMP = 2
EACCES, ESRCH, EINVAL, ENOENT = 13, 3, 22, 2
HVM_HAP = 0x2 | 0x100          # XEN_DOMINF_hvm_guest | XEN_DOMINF_hap
# PHYSCAP hvm | hap | gnttab_v1; Xen 4.17 adds vpmu (0x80) where the CPU has a
# PMU, which Cloison does not offer guests.
CAPS = {"cloison": 0x1 | 0x8 | 0x100, "xen": 0x1 | 0x8 | 0x80 | 0x100}
CREDIT2 = 6
LINE = r"XC {what} ([^\r\n]*)\r*\n"


def fields(text: str) -> dict:
    return dict(kv.split("=", 1) for kv in text.split())


def run_tool(con) -> dict:
    """Boot to dom0's shell, run xen-ctl; its lines by kind."""
    con.expect(qemu.LINUX_UP_RE, timeout=BOOT_TIMEOUT, since=0)
    mod = con.expect(r"XENMOD xen-privcmd (\S+)[^\n]*\n", timeout=60, since=0)
    assert mod.group(1) == "ok", mod.group(0)
    con.wait_shell(120)
    mark = len(con.res.output)
    con.line("xen-ctl")
    con.expect(r"XC done\r*\n", STEP_TIMEOUT, since=mark)
    out = con.res.output[mark:]
    got = {}
    for m in re.finditer(r"XC (\w+) ([^\r\n]*)\r*\n", out):
        got.setdefault(m.group(1), []).append(fields(m.group(2)))
    return got


def check(got: dict, domu, hv: str, con) -> None:
    where = f" ({hv})\n" + con.describe()
    (pi,) = got["physinfo"]
    assert (pi["rc"], pi["nr_cpus"], pi["max_cpu_id"]) == ("0", str(SMP), str(SMP - 1)), pi
    assert int(pi["caps"], 16) == CAPS[hv], f"capabilities {pi['caps']}" + where
    assert (pi["threads_per_core"], pi["cores_per_socket"], pi["nr_nodes"]) == ("1", "1", "1")
    assert pi["cpu_khz"] == "62500", pi  # QEMU virt's generic timer: 62.5 MHz
    total, free = int(pi["total_pages"]), int(pi["free_pages"])
    assert 0 < free < total <= 2048 * 256, pi  # the machine has 2 GiB

    (lst,) = got["list"]
    assert (lst["rc"], lst["num"]) == ("0", "2"), lst
    doms = got["dom"]
    assert [d["id"] for d in doms] == ["0", "1"], doms  # dom0 and the domU, by id
    for d in doms:
        flags = int(d["flags"], 16)
        assert flags & HVM_HAP == HVM_HAP, d
        assert flags & 0x5 == 0, f"shutdown/dying: {d}" + where  # both are up
        assert d["cpupool"] == "0" and int(d["gpaddr_bits"]) >= 32, d
        assert int(d["online"]) >= 1 and int(d["cpu_time"]) > 0, d
    d0, d1 = doms
    # idle never starts its second vCPU: created (max_vcpu_id 1), not online.
    assert (d1["online"], d1["max_vcpu_id"]) == ("1", "1"), d1
    assert int(d1["flags"], 16) & 0x30 == 0x10, f"idle waits in WFI: blocked {d1}" + where
    assert int(d1["tot_pages"]) == domu.mem_kib // 4, d1
    assert int(d1["max_pages"]) >= int(d1["tot_pages"]), d1
    assert int(d0["tot_pages"]) > 0, d0

    info = {g["ask"]: g for g in got["getinfo"]}
    assert (info["0"]["rc"], info["0"]["id"]) == ("0", "0"), info["0"]
    assert (info["1"]["rc"], info["1"]["id"]) == ("0", "1"), info["1"]
    assert info["2"]["errno"] == str(ESRCH), info["2"]  # nothing at or after 2
    assert info["32752"]["errno"] == str(EINVAL), info["32752"]  # DOMID_SELF

    pools = {g["ask"]: g for g in got["cpupool"]}
    p0 = pools["0"]
    assert (p0["rc"], p0["id"], p0["sched"]) == ("0", "0", str(CREDIT2)), p0
    assert p0["n_dom"] == "2", p0
    assert int(p0["map"], 16) == (1 << SMP) - 1, p0  # every pCPU in pool 0
    assert pools["1"]["errno"] == str(ENOENT), pools["1"]
    (sid,) = got["sched_id"]
    assert (sid["rc"], sid["id"]) == ("0", str(CREDIT2)), sid
    (bad,) = got["badversion"]
    assert (bad["domctl"], bad["sysctl"]) == (str(EACCES), str(EACCES)), bad
    (cl,) = got["cmdline"]  # the host tree's command line has dom0_mem=512M
    assert (cl["rc"], cl["dom0_mem"]) == ("0", "yes"), cl


def run(hv: str) -> None:
    machine = qemu.Machine(gic=3, smp=SMP, mem_mib=2048)
    domu = qemu.Domain("idle", cpus=2)
    with tempfile.TemporaryDirectory(prefix="cloison-it-") as tmp:
        cmd = command(machine, domu, Path(tmp), hv)
        kw = {"hv": "xen"} if hv == "xen" else {}
        with qemu.Console([], machine=machine, cmd=cmd, **kw) as con:
            got = run_tool(con)
            check(got, domu, hv, con)


def test_dom0_ctl(cloison):
    run("cloison")


@pytest.mark.xen
def test_dom0_ctl_xen(xen):
    run("xen")
