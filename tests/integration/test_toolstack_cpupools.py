"""Run-time CPU pools through Debian's unmodified xl (issue 12), under Cloison
and under Xen 4.17 (Debian's hypervisor, built with credit2 and run-time
cpupools) in the same QEMU machine of 4 pCPUs, with the dom0 of
test_toolstack.py:

  xl cpupool-list (-c)                      INFO from pool 0 upward, names
                                            from /local/pool/N/name
  xl cpupool-cpu-remove Pool-0 2,3          RMCPU
  xl cpupool-create name="p1" sched="credit2" cpus="2,3"
                                            CREATE + ADDCPU, the name in xenstore
  xl create demo.cfg pool="p1"              createdomain's cpupool_id; its vCPU
                                            only on pCPUs 2-3 (xl vcpu-list)
  xl cpupool-migrate demo Pool-0 (and back) MOVEDOMAIN; its vCPU on 0-1
  xl cpupool-cpu-remove p1 3 / -cpu-add     RMCPU, ADDCPU
  xl cpupool-destroy Pool-0                 refused (it has domains)
  xl cpupool-destroy p1                     RMCPU of each pCPU, DESTROY
  xl cpupool-cpu-add Pool-0 2,3             back to where it started

Every step is asserted on what xl prints, the same for both hypervisors.
"""

import re

import pytest

import qemu
from test_toolstack import Session, boot, command

SMP = 4
ROW_RE = re.compile(r"^(\S+)\s+(\d+)\s+(\S+)\s+y\s+(\d+)\s*$", re.M)


def pools(s: Session) -> dict:
    """{name: (cpus, scheduler, domains)} from `xl cpupool-list`."""
    return {m.group(1): (int(m.group(2)), m.group(3), int(m.group(4)))
            for m in ROW_RE.finditer(s.ok("xl cpupool-list"))}


def pool_cpus(s: Session) -> dict:
    """{name: "0,1"} from `xl cpupool-list -c`."""
    out = s.ok("xl cpupool-list -c")
    return {m.group(1): m.group(2) for m in re.finditer(r"^(\S+)\s+([\d,]+)\s*$", out, re.M)
            if m.group(1) != "Name"}


def vcpu_cpu(s: Session, name: str) -> int:
    """The pCPU `xl vcpu-list` shows for the domain's vCPU 0 (-1 if none)."""
    out = s.ok(f"xl vcpu-list {name}")
    m = re.search(rf"^{name}\s+\d+\s+0\s+(\d+)\s", out, re.M)
    return int(m.group(1)) if m else -1


def scenario(hv: str) -> None:
    with qemu.Console([], hv=hv, cmd=command(hv, smp=SMP)) as con:
        s = Session(con, hv)
        boot(con, s, "ocaml")
        assert pools(s) == {"Pool-0": (4, "credit2", 1)}, s.where()
        assert pool_cpus(s) == {"Pool-0": "0,1,2,3"}, s.where()

        out = s.ok("xl cpupool-cpu-remove Pool-0 2,3")
        assert "Some cpus may have not" not in out, out + s.where()
        assert pool_cpus(s) == {"Pool-0": "0,1"}, s.where()
        assert re.search(r"^free_cpus\s*:\s*2\s*$", s.ok("xl info"), re.M), s.where()

        out = s.ok("xl cpupool-create 'name=\"p1\"' 'sched=\"credit2\"' 'cpus=\"2,3\"'")
        assert "number of cpus: 2" in out, out + s.where()
        assert pools(s) == {"Pool-0": (2, "credit2", 1), "p1": (2, "credit2", 0)}, s.where()
        assert pool_cpus(s)["p1"] == "2,3", s.where()
        assert s.ok("xenstore-read /local/pool/1/name").strip() == "p1", s.where()

        # A domain created in p1 runs there only.
        s.ok("xl create /etc/xen/demo.cfg 'pool=\"p1\"'")
        assert pools(s)["p1"][2] == 1, s.where()
        s.wait_for("demo's vCPU on p1's pCPUs", lambda: vcpu_cpu(s, "demo") in (2, 3))
        for _ in range(3):
            assert vcpu_cpu(s, "demo") in (2, 3), s.where()

        # Migrated to Pool-0 and back.
        s.ok("xl cpupool-migrate demo Pool-0")
        assert pools(s) == {"Pool-0": (2, "credit2", 2), "p1": (2, "credit2", 0)}, s.where()
        s.wait_for("demo's vCPU on Pool-0's pCPUs", lambda: vcpu_cpu(s, "demo") in (0, 1))
        s.ok("xl cpupool-migrate demo p1")
        assert pools(s)["p1"][2] == 1, s.where()
        s.wait_for("demo's vCPU back on p1's pCPUs", lambda: vcpu_cpu(s, "demo") in (2, 3))
        # A pool with a domain keeps its last pCPU: one goes, the other stays.
        out = s.ok("xl cpupool-cpu-remove p1 2,3")
        assert "Some cpus may have not" in out, out + s.where()
        assert pool_cpus(s)["p1"] in ("2", "3"), s.where()
        assert vcpu_cpu(s, "demo") == int(pool_cpus(s)["p1"]), s.where()
        out = s.ok("xl cpupool-cpu-add p1 2,3")
        assert pool_cpus(s)["p1"] == "2,3", out + s.where()
        s.ok("xl destroy demo")
        assert pools(s)["p1"][2] == 0, s.where()

        s.ok("xl cpupool-cpu-remove p1 3")
        assert pool_cpus(s)["p1"] == "2", s.where()
        s.ok("xl cpupool-cpu-add p1 3")
        assert pool_cpus(s)["p1"] == "2,3", s.where()

        rc, out = s.sh("xl cpupool-destroy Pool-0")
        assert rc != 0 and "Can't destroy cpupool 'Pool-0'" in out, out + s.where()
        s.ok("xl cpupool-destroy p1")
        assert pools(s) == {"Pool-0": (2, "credit2", 1)}, s.where()
        rc, _ = s.sh("xenstore-read /local/pool/1/name")
        assert rc != 0, s.where()
        s.ok("xl cpupool-cpu-add Pool-0 2,3")
        assert pools(s) == {"Pool-0": (4, "credit2", 1)}, s.where()


def test_toolstack_cpupools(cloison):
    scenario("cloison")


@pytest.mark.xen
def test_toolstack_cpupools_xen(xen):
    scenario("xen")


# `xl vcpu-list` rows: name, domid, vCPU, CPU, State, Time(s) (xl's
# print_vcpuinfo: an online vCPU shows its v->processor and "r"/"-" (running)
# then "b"/"-" (blocked) then "-"; an offline one "-" and "--p").
VCPU_ROW_RE = re.compile(r"^(\S+)\s+(\d+)\s+(\d+)\s+(\d+|-)\s+(\S{3})\s+([\d.]+)\s", re.M)


def vcpu_rows(s: Session, name: str) -> list:
    """[(vcpu, cpu or None, state, time)] of `xl vcpu-list name`."""
    return [(int(m.group(3)), None if m.group(4) == "-" else int(m.group(4)), m.group(5),
             float(m.group(6)))
            for m in VCPU_ROW_RE.finditer(s.ok(f"xl vcpu-list {name}")) if m.group(1) == name]


def test_toolstack_null_pool_waiting_vcpu(cloison):
    """A 3-vCPU spinner in a null pool of 2 pCPUs: two vCPUs own a pCPU each
    and run; the third waits (Xen's null scheduler puts it in its wait
    queue). `xl vcpu-list` shows it as Xen 4.17 would: online, neither
    running nor blocked ("---"), a pCPU of its pool in the CPU column (Xen's
    null pick_res leaves v->processor on one, never "-"), and no time run.
    Cloison only: Debian's Xen is built without the null scheduler."""
    with qemu.Console([], hv="cloison", cmd=command("cloison", smp=SMP)) as con:
        s = Session(con, "cloison")
        boot(con, s, "ocaml")
        s.ok("xl cpupool-cpu-remove Pool-0 2,3")
        out = s.ok("xl cpupool-create 'name=\"nl\"' 'sched=\"null\"' 'cpus=\"2,3\"'")
        assert "number of cpus: 2" in out, out + s.where()
        assert pools(s)["nl"] == (2, "null", 0), s.where()
        s.ok("xl create /etc/xen/spin.cfg 'pool=\"nl\"'")

        def settled():
            rows = vcpu_rows(s, "spin")
            return len(rows) == 3 and all(r[2] != "--p" for r in rows) and rows
        rows = s.wait_for("spin's three vCPUs online", settled)
        for _ in range(3):
            rows = vcpu_rows(s, "spin")
            running = [r for r in rows if r[2] == "r--"]
            waiting = [r for r in rows if r[2] == "---"]
            assert len(running) == 2 and len(waiting) == 1, (rows, s.where())
            assert sorted(r[1] for r in running) == [2, 3], (rows, s.where())
            assert waiting[0][1] in (2, 3), (rows, s.where())
            assert waiting[0][3] == 0.0, (rows, s.where())
        # Pool-0's dom0 is untouched, and the waiter takes a pCPU once one
        # is free: the pool grows by a pCPU (Xen's null assigns it).
        s.ok("xl cpupool-cpu-remove Pool-0 1")
        s.ok("xl cpupool-cpu-add nl 1")
        s.wait_for("the waiting vCPU on pCPU 1",
                   lambda: sorted((r[1], r[2]) for r in vcpu_rows(s, "spin"))
                   == [(1, "r--"), (2, "r--"), (3, "r--")])
        s.ok("xl destroy spin")
