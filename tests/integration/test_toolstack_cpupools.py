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
