"""The toolstack's control calls from a Linux dom0 (issue 10): tests/dom0/xen_ctl.c
(/bin/xen-ctl in the initramfs) issues them through Linux's privcmd, as
libxencall, libxenforeignmemory and libxenguest do, and prints the answers.
Beside dom0 run two dom0less domUs: `idle` (a plain VM, 2 vCPUs, one started)
and `ctl_target` (Xen-enhanced, 1 vCPU), which checks its own HVM param rights,
then waits for dom0 and reports what dom0 set in it.

`xen-ctl` (read-only): SYSCTL physinfo, getdomaininfolist, cpupool INFO,
sched_id, scheduler_op, cputopoinfo, numainfo, pcitopoinfo, readconsole (xl
dmesg's loop); DOMCTL getdomaininfo, getvcpuinfo, getvcpuaffinity,
scheduler_op, get_paging_mempool_size; XENVER_commandline.
`xen-ctl ops 1 2`: on idle its credit2 weight/cap and the pool's rate limit,
setdomainhandle, setnodeaffinity, set/get_address_size, the P2M pool, and
vCPU 0 pinned to pCPU 1 then 0 (xl vcpu-pin: getvcpuinfo shows it move), then
dom0's own vCPU running xen-ctl pinned away from its pCPU and back; on
ctl_target its grant table seeded through the compat path (add_to_physmap of
its frame, setup_table, a foreign mapping by GFN, remove_from_physmap) and
through XENMEM_acquire_resource (privcmd's MMAP_RESOURCE), with the refusals,
and its HVM params set and read back; ctl_target then reads its params and
the grant entries dom0 wrote.

The same under Xen 4.17 (`-m xen`): every check holds there too, apart from the
hypervisor's own figures and the differences named below (EXPECTED_DIFF).
"""

import re
import shlex
import tempfile
from pathlib import Path

import pytest

import qemu
from test_dom0_foreign import BOOT_TIMEOUT, STEP_TIMEOUT, command

SMP = 2
EPERM, ENOENT, ESRCH, EBUSY, EINVAL, ENOSYS, EACCES = 1, 2, 3, 16, 22, 38, 13
HVM_HAP = 0x2 | 0x100          # XEN_DOMINF_hvm_guest | XEN_DOMINF_hap
# PHYSCAP hvm | hap | gnttab_v1; Xen 4.17 adds vpmu (0x80) where the CPU has a
# PMU, which Cloison does not offer guests.
CAPS = {"cloison": 0x1 | 0x8 | 0x100, "xen": 0x1 | 0x8 | 0x80 | 0x100}
# set_address_size(32): both switch a domain to AArch32 where the CPU has EL1
# AArch32 (cortex-a57 has), so a domain with pages gets -EBUSY.
ADDR32 = {"cloison": EBUSY, "xen": EBUSY}
CREDIT2 = 6
EOPNOTSUPP_SIZE = 2**32 - 95   # Xen's resource_max_frames(-EOPNOTSUPP) as a size


def fields(text: str) -> dict:
    """key=value words; a value may be "quoted" (xen-ctl writes no quote inside)."""
    return dict(kv.split("=", 1) for kv in shlex.split(text) if "=" in kv)


def run_tool(con, args: str = "") -> dict:
    """Run xen-ctl [args] in dom0's shell; its lines by kind."""
    mark = len(con.res.output)
    con.line(f"xen-ctl {args}".strip())
    con.expect(r"XC done\r*\n", STEP_TIMEOUT, since=mark)
    out = con.res.output[mark:]
    got = {}
    for m in re.finditer(r"XC (\w+) ([^\r\n]*)\r*\n", out):
        got.setdefault(m.group(1), []).append(fields(m.group(2)))
    return got


def by(items: list, key: str) -> dict:
    return {i[key]: i for i in items}


def errno_of(line: dict) -> int:
    # The leading number: under Xen a guest's "(dN) ..." console line can land
    # in the middle of dom0's line on the shared serial port (seen: "3(d2)").
    return int(re.match(r"-?\d+", line["errno"]).group(0))


def check_host(got: dict, hv: str, where: str) -> None:
    (pi,) = got["physinfo"]
    assert (pi["rc"], pi["nr_cpus"], pi["max_cpu_id"]) == ("0", str(SMP), str(SMP - 1)), pi
    assert int(pi["caps"], 16) == CAPS[hv], f"capabilities {pi['caps']}" + where
    assert (pi["threads_per_core"], pi["cores_per_socket"], pi["nr_nodes"]) == ("1", "1", "1")
    assert pi["cpu_khz"] == "62500", pi  # QEMU virt's generic timer: 62.5 MHz
    total, free = int(pi["total_pages"]), int(pi["free_pages"])
    assert 0 < free < total <= 2048 * 256, pi  # the machine has 2 GiB

    pools = by(got["cpupool"], "ask")
    p0 = pools["0"]
    assert (p0["rc"], p0["id"], p0["sched"]) == ("0", "0", str(CREDIT2)), p0
    assert p0["n_dom"] == "3", p0
    assert int(p0["map"], 16) == (1 << SMP) - 1, p0  # every pCPU in pool 0
    assert errno_of(pools["1"]) == ENOENT, pools["1"]
    ps = by(got["poolsched"], "ask")
    assert (ps["0"]["rc"], ps["0"]["ratelimit"]) == ("0", "1000"), ps["0"]  # credit2's default
    assert errno_of(ps["1"]) == ESRCH, ps["1"]
    (sid,) = got["sched_id"]
    assert (sid["rc"], sid["id"]) == ("0", str(CREDIT2)), sid

    cnt, ent = got["cputopo"]
    assert (cnt["rc"], cnt["num"]) == ("0", str(SMP)), cnt
    assert (ent["rc"], ent["num"]) == ("0", str(SMP)), ent
    for i in range(SMP):  # Xen/ARM reads no topology: core, socket and node 0
        assert ent[f"c{i}"] == "0/0/0", ent
    assert ent[f"c{SMP}"] == ent["c3"] == "-1431655766/-1431655766/-1431655766", ent  # untouched
    cnt, nodes = got["numa"]
    assert (cnt["rc"], cnt["num"]) == ("0", "1"), cnt
    assert (nodes["rc"], nodes["num"], nodes["dist"]) == ("0", "1", "20"), nodes
    assert int(nodes["memsize"]) == 2048 << 20, nodes  # the RAM bank: 2 GiB
    assert 0 < int(nodes["memfree"]) <= free * 4096, nodes
    (pci,) = got["pcitopo"]
    assert errno_of(pci) == ENOSYS, pci

    (dm,) = got["dmesg"]
    assert dm["rc"] == "0" and int(dm["bytes"]) > 400, dm  # the boot log
    prefix = "(XEN)" if hv == "xen" else "(cloison)"
    assert prefix in dm["first"], f"xl dmesg's first line: {dm}" + where
    (bad,) = got["badversion"]
    assert (bad["domctl"], bad["sysctl"]) == (str(EACCES), str(EACCES)), bad
    (cl,) = got["cmdline"]  # the host tree's command line has dom0_mem=512M
    assert (cl["rc"], cl["dom0_mem"]) == ("0", "yes"), cl


def check_domains(got: dict, domus: list, where: str) -> None:
    (lst,) = got["list"]
    assert (lst["rc"], lst["num"]) == ("0", "3"), lst
    doms = got["dom"]
    assert [d["id"] for d in doms] == ["0", "1", "2"], doms  # dom0 and the domUs, by id
    for d in doms:
        flags = int(d["flags"], 16)
        assert flags & HVM_HAP == HVM_HAP, d
        assert flags & 0x5 == 0, f"shutdown/dying: {d}" + where  # all up
        assert d["cpupool"] == "0" and int(d["gpaddr_bits"]) >= 32, d
        assert int(d["online"]) >= 1 and int(d["cpu_time"]) > 0, d
    d0, d1, d2 = doms
    # idle never starts its second vCPU: created (max_vcpu_id 1), not online.
    assert (d1["online"], d1["max_vcpu_id"]) == ("1", "1"), d1
    assert int(d1["flags"], 16) & 0x30 == 0x10, f"idle waits in WFI: blocked {d1}" + where
    assert int(d1["tot_pages"]) == domus[0].mem_kib // 4, d1
    assert int(d1["max_pages"]) >= int(d1["tot_pages"]), d1
    assert (d2["online"], d2["max_vcpu_id"]) == ("1", "0"), d2
    assert int(d0["tot_pages"]) > 0, d0

    info = by(got["getinfo"], "ask")
    for i in ("0", "1", "2"):
        assert (info[i]["rc"], info[i]["id"]) == ("0", i), info[i]
    assert errno_of(info["3"]) == ESRCH, info["3"]  # nothing at or after 3
    assert errno_of(info["32752"]) == EINVAL, info["32752"]  # DOMID_SELF

    vcpus = {(v["dom"], v["vcpu"]): v for v in got["vcpu"]}
    assert (vcpus[("1", "0")]["rc"], vcpus[("1", "0")]["online"]) == ("0", "1"), vcpus
    assert (vcpus[("1", "1")]["rc"], vcpus[("1", "1")]["online"]) == ("0", "0"), vcpus
    assert errno_of(vcpus[("1", "2")]) == EINVAL, vcpus  # beyond its vCPUs
    assert errno_of(vcpus[("2", "1")]) == EINVAL, vcpus
    for (dom, vcpu), v in vcpus.items():
        if v["rc"] == "0":
            assert int(v["cpu"]) < SMP, v
            if v["online"] == "1" and dom == "0":
                assert int(v["time_ns"]) > 0, v
    for a in got["affinity"]:  # every vCPU may run on every pCPU (Xen's default)
        assert (a["rc"], a["hard"], a["soft"]) == ("0", "0x0003", "0x0003"), f"{a}" + where
    for s in got["sched"]:
        assert (s["rc"], s["weight"], s["cap"]) == ("0", "256", "0"), s
    sizes = by(got["pool_size"], "dom")
    assert sizes["1"]["rc"] == "0" and int(sizes["1"]["bytes"]) > 0, sizes


def check_ops(got: dict, hv: str, where: str) -> None:
    want = [("put512_50", 0, "512", "50"), ("get", 0, "512", "50"), ("put0_0", 0, None, None),
            ("get", 0, "512", "0"), ("cap201", EINVAL, None, None), ("credit1", EINVAL, None, None),
            ("vcpuinfo", EINVAL, None, None), ("put256_0", 0, None, None)]
    for line, (what, err, w, c) in zip(got["schedop"], want):
        assert line["what"] == what and errno_of(line) == err, f"{line}" + where
        if w is not None:
            assert (line["weight"], line["cap"]) == (w, c), line
    rl = got["ratelimit"]
    assert [(r["what"], errno_of(r)) for r in rl] == \
        [("put99", EINVAL), ("put2000", 0), ("get", 0), ("put1000", 0)], rl
    assert (rl[1]["us"], rl[2]["us"], rl[3]["us"]) == ("2000", "2000", "1000"), rl
    (h,) = got["handle"]
    assert (h["rc"], h["get"], h["handle"]) == ("0", "0", "101112131415161718191a1b1c1d1e1f"), h
    na = by(got["nodeaffinity"], "map")
    assert (errno_of(na["0x1"]), errno_of(na["0x2"])) == (0, EINVAL), na
    asz = by(got["address_size"], "size")
    assert errno_of(asz["64"]) == EBUSY, asz  # it owns pages
    assert errno_of(asz["32"]) == ADDR32[hv], f"{asz}" + where
    assert errno_of(asz["48"]) == EINVAL, asz
    (gas,) = got["get_address_size"]
    assert errno_of(gas) == ENOSYS, gas  # x86's only
    ps = by(got["pool_set"], "bytes")
    assert errno_of(ps["4097"]) == EINVAL, ps
    (pg,) = got["pool_get"]
    assert pg["rc"] == "0" and pg["bytes"] == pg["was"] and int(pg["was"]) > 0, pg
    assert [errno_of(p) for p in ps.values()] == [EINVAL, 0], ps

    pins = [p for p in got["pin"] if p["dom"] == "1"]
    assert [errno_of(p) for p in pins] == [0, 0, EINVAL, EINVAL, EINVAL, 0], pins
    to1, to0, _, _, _, back = pins
    assert (to1["hard"], to1["cpu"]) == ("0x0002", "1"), f"pinned to pCPU 1: {to1}" + where
    assert (to0["hard"], to0["soft"], to0["cpu"]) == ("0x0001", "0x0000", "0"), to0
    assert (back["hard"], back["soft"]) == ("0x0003", "0x0003"), back
    # dom0's own vCPU, running the call: moved when its pCPU next switches it out.
    away, home, free = [p for p in got["pin"] if p["dom"] == "0"]
    for p in (away, home):
        assert p["rc"] == "0" and int(p["hard"], 16) == int(p["ask"].split("/")[0], 16), p
        assert int(p["hard"], 16) == 1 << int(p["cpu"]), f"dom0's vCPU not moved: {p}" + where
    assert away["cpu"] != home["cpu"], (away, home)
    assert (free["rc"], free["hard"], free["soft"]) == ("0", "0x0003", "0x0003"), free


def check_seed(got: dict, con, where: str) -> None:
    aq = by(got["aq"], "what")
    assert (aq["size"]["rc"], aq["size"]["nr"]) == ("0", "64"), aq["size"]
    for what, err in (("status", EINVAL), ("ioreq", EINVAL), ("vmtrace", EINVAL),
                      ("self", EPERM), ("domid_self", ESRCH), ("nodom", ESRCH), ("pad", EINVAL)):
        assert errno_of(aq[what]) == err, f"acquire_resource {what}: {aq[what]}" + where
    assert (aq["unknown"]["rc"], aq["unknown"]["nr"]) == ("0", str(EOPNOTSUPP_SIZE)), aq
    (sz,) = got["aq_size"]
    assert (sz["rc"], sz["num"]) == ("0", "64"), sz
    (cp,) = got["compat"]
    assert cp == {"add": "0/0", "setup": "0/0", "status": "0", "frame": "0x38000",
                  "map": "0/0/0", "remove": "0/0"}, f"{cp}" + where
    (acq,) = got["acquire"]
    assert (acq["rc"], acq["entry2"]) == ("0", "0x39000"), f"{acq}" + where
    hvm = by(got["hvm"], "index")
    for index, value in (("2", "0x17"), ("17", "0xfeed2"), ("18", "0x18"), ("28", "0xfeed3"),
                         ("1", "0xfeed1")):
        assert (hvm[index]["set"], hvm[index]["get"], hvm[index]["value"]) == \
            ("0/0", "0/0", value), hvm[index]
    bad = by(got["hvmbad"], "what")
    assert [errno_of(bad[w]) for w in ("set3", "get4", "self", "nodom")] == \
        [EINVAL, EINVAL, EPERM, ESRCH], bad
    # ctl_target sees what dom0 set: its params, and both grant entries.
    p = con.expect(r"CT params ([^\r\n]*)\r*\n", STEP_TIMEOUT, since=0)
    assert fields(p.group(1)) == {"store_pfn": "0/0xfeed1", "store_evtchn": "0/0x17",
                                  "console_pfn": "0/0xfeed2", "console_evtchn": "0/0x18"}, \
        p.group(0) + where
    g = fields(con.expect(r"CT gnttab ([^\r\n]*)\r*\n", STEP_TIMEOUT, since=0).group(1))
    assert (g["add"], g["e1"], g["e2"]) == ("0", "1/0/0x39001", "1/0/0x39000"), f"{g}" + where


def run(hv: str) -> None:
    machine = qemu.Machine(gic=3, smp=SMP, mem_mib=2048)
    domus = [qemu.Domain("idle", cpus=2), qemu.Domain("ctl_target", enhanced=True)]
    with tempfile.TemporaryDirectory(prefix="cloison-it-") as tmp:
        cmd = command(machine, domus, Path(tmp), hv)
        kw = {"hv": "xen"} if hv == "xen" else {}
        with qemu.Console([], machine=machine, cmd=cmd, **kw) as con:
            me = con.expect(r"CT self ([^\r\n]*)\r*\n", timeout=120, since=0)
            assert fields(me.group(1)) == {"set_store": str(-EPERM), "get_monitor": str(-EPERM),
                                           "get_3": str(-EINVAL), "set_3": str(-EINVAL)}, \
                me.group(0)
            con.expect(qemu.LINUX_UP_RE, timeout=BOOT_TIMEOUT, since=0)
            mod = con.expect(r"XENMOD xen-privcmd (\S+)[^\n]*\n", timeout=60, since=0)
            assert mod.group(1) == "ok", mod.group(0)
            con.wait_shell(120)
            got = run_tool(con)
            where = f" ({hv})\n" + con.describe()
            check_host(got, hv, where)
            check_domains(got, domus, where)
            ops = run_tool(con, "ops 1 2")
            where = f" ({hv})\n" + con.describe()
            check_ops(ops, hv, where)
            check_seed(ops, con, where)
            con.expect(r"CT done\r*\n", STEP_TIMEOUT, since=0)


def test_dom0_ctl(cloison):
    run("cloison")


@pytest.mark.xen
def test_dom0_ctl_xen(xen):
    run("xen")
