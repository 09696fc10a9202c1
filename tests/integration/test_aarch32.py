"""32-bit (AArch32) guests: the A32 and T32 builds of tests/guests/aarch32 (zImages, so
the domain is made AArch32 by its kernel) under Cloison, beside 64-bit guests, and the
same images under Xen 4.17 for parity."""

import re

import pytest

import qemu
from conftest import assert_all_pass
from test_linux import BOOT_TIMEOUT, CMD_TIMEOUT, linux, up_re  # noqa: F401 (fixture)

CASES = ["hello", "hcall", "timer", "sysregs", "fault", "smp"]
ALL = [f"{isa}_{c}" for isa in ("a32", "t32") for c in CASES]


def _domains(cases, smp_cpus=2):
    return [qemu.Domain(c, cpus=smp_cpus if c.endswith("_smp") else 1) for c in cases]


def _run(cases, hv, machine, timeout=90, smp_cpus=2):
    return qemu.run(_domains(cases, smp_cpus), hv, machine, timeout,
                    until=qemu.verdicts_for(cases), linger=0.3)


@pytest.mark.parametrize("machine", [
    pytest.param(qemu.Machine(gic=3, cpu="cortex-a57"), id="gicv3-a57"),
    pytest.param(qemu.Machine(gic=2, cpu="cortex-a57"), id="gicv2-a57"),
])
def test_aarch32_guests(cloison, machine):
    res = _run(ALL, "cloison", machine)
    assert_all_pass(res, ALL)
    for v in res.final():
        if v.case.endswith("_hello"):  # MMIO from FIQ mode's banked registers
            assert v.kv.get("fiq_mmio") == "ok", v.line
        if v.case.endswith("_sysregs"):  # no Virtualization extensions without Hyp mode
            assert v.kv.get("virt") == "0", v.line


def test_aarch32_smp_four_vcpus(cloison):
    res = _run(["a32_smp", "t32_smp"], "cloison", qemu.Machine(gic=3, smp=4), smp_cpus=4)
    assert_all_pass(res, ["a32_smp", "t32_smp"])
    for v in res.final():
        assert v.kv.get("cpus") == "4", v.line


def test_aarch32_beside_aarch64(cloison):
    """32- and 64-bit domains on the same pCPUs: HCR_EL2.RW and the AArch32 registers
    follow each vCPU through the context switches."""
    cases = ["a32_hcall", "hcall_null", "t32_timer", "timer", "a32_smp", "smp"]
    res = qemu.run([qemu.Domain(c, cpus=2 if c.endswith("smp") else 1) for c in cases],
                   "cloison", qemu.Machine(gic=3, smp=2), 120,
                   until=qemu.verdicts_for(cases), linger=0.3)
    assert_all_pass(res, cases)


def test_aarch32_yield_pair_on_one_pcpu(cloison):
    """Two A32 yield domains on one pCPU hand it to each other at every SCHEDOP_yield:
    each switch carries QEMU's live SPSR of SVC mode through the EL1 trampoline
    (docs/DESIGN.md), so both finish all their yields and PASS. No timing asserted
    (bench/aarch32.py measures it)."""
    cases = ["a32_yield", "a32_yield"]
    res = _run(cases, "cloison", qemu.Machine(gic=3, smp=1), timeout=120)
    assert_all_pass(res, cases)
    done = [v for v in res.final() if v.case == "a32_yield"]
    assert len(done) == 2 and all(v.kv.get("yields") == "20000" for v in done), res.describe()


def test_aarch32_hypercall_reports_xen_version(cloison):
    res = _run(["a32_hcall", "t32_hcall"], "cloison", qemu.Machine(gic=3))
    assert_all_pass(res, ["a32_hcall", "t32_hcall"])
    for v in res.final():
        assert v.kv.get("version") == "4.17", v.line


def test_aarch32_refused_without_el1_aarch32(cloison):
    """-cpu max in this QEMU has no AArch32 at EL1 (ID_AA64PFR0_EL1.EL1 = 1): the
    domain is refused with a message and the 64-bit one beside it still runs."""
    res = qemu.run([qemu.Domain("a32_hello"), qemu.Domain("hello")], "cloison",
                   qemu.Machine(gic=3, cpu="max"), 40, until=qemu.verdicts_for(["hello"]),
                   linger=0.3)
    if "no AArch32 at EL1" not in res.output:
        pytest.skip("this QEMU's -cpu max has AArch32 at EL1")
    assert_all_pass(res, ["hello"])


@pytest.mark.parametrize("case", ["hello", "hcall", "timer", "sysregs", "smp"])
def test_aarch32_parity_xen(xen, case):
    """The same zImages under Xen 4.17 (the reference)."""
    cases = [f"a32_{case}", f"t32_{case}"]
    res = _run(cases, "xen", qemu.Machine(gic=3))
    assert_all_pass(res, cases)


# ---- Debian's armhf kernels: linux-image-armmp-lpae and the non-LPAE armmp ----

@pytest.fixture(scope="session")
def armhf():
    missing = [p for p in (qemu.ARMHF_ZIMAGE, qemu.ARMHF_INITRAMFS) if not p.is_file()]
    if missing:
        pytest.fail(f"missing {', '.join(map(str, missing))}: run {qemu.ARMHF_FETCH_HINT}")


@pytest.fixture(scope="session")
def armmp():
    missing = [p for p in (qemu.ARMMP_ZIMAGE, qemu.ARMHF_INITRAMFS) if not p.is_file()]
    if missing:
        pytest.fail(f"missing {', '.join(map(str, missing))}: run {qemu.ARMHF_FETCH_HINT}")


# Each flavour: the fixture checking its files, its domain class, and what
# `uname -r` ends with. armmp is the non-LPAE kernel: short-descriptor page tables
# (TTBCR.EAE = 0, 32-bit TTBR0/TTBR1 and DACR, all the guest's own: none of them
# traps).
FLAVOURS = {
    "lpae": ("armhf", qemu.ArmhfLinuxDomain, "armmp-lpae"),
    "armmp": ("armmp", qemu.ArmmpLinuxDomain, "armmp"),
}


def flavour_dom(request, flavour, name, cpus=1, xen=False, **kw):
    """FLAVOUR's kernel as a domU named NAME: plain with a vPL011, or (XEN) with
    xen,enhanced and its console on hvc0."""
    fixture, cls, _ = FLAVOURS[flavour]
    request.getfixturevalue(fixture)
    if xen:
        return cls(cpus=cpus, vpl011=False, enhanced="no-xenstore",
                   bootargs=f"console=hvc0 cloison_name={name}", **kw)
    return cls(cpus=cpus, bootargs=f"{qemu.LINUX_BOOTARGS} cloison_name={name}", **kw)


def armhf_dom(name, cpus=1, **kw):
    return qemu.ArmhfLinuxDomain(
        cpus=cpus, bootargs=f"{qemu.LINUX_BOOTARGS} cloison_name={name}", **kw)


def _shell(con, domid, name):
    con.focus(domid)
    con.wait_shell(CMD_TIMEOUT, tag=f"-{name}")
    con.ask(f"echo ANS-$cloison_name-$((6*7))-END", rf"ANS-{name}-42-END", CMD_TIMEOUT)


def _check_plain(con, flavour, name, cpus):
    """The plain domU NAME reaches its shell with CPUS vCPUs, says it is ARMv7 with
    FLAVOUR's kernel, and every vCPU takes timer interrupts."""
    m = con.expect(up_re(name), BOOT_TIMEOUT)
    assert int(m.group(1)) == cpus, con.describe()
    _shell(con, 1, name)
    release = re.escape(FLAVOURS[flavour][2])
    con.ask("echo M-$(uname -m)-$(uname -r)-END", rf"M-armv7l-[^ ]*-{release}-END",
            CMD_TIMEOUT)
    m = con.ask("irqcount", r"IRQCOUNT ncpu=(\d+) arch_timer=([\d,]+|none)\r*\n",
                CMD_TIMEOUT)
    counts = [int(c) for c in m.group(2).split(",")] if m.group(2) != "none" else []
    assert len(counts) == cpus and all(c > 0 for c in counts), con.describe()


def _no_panic(con):
    out = con.res.output
    assert "Kernel panic" not in out and "undefined instruction injected" not in out, \
        con.res.describe()


# Four vCPUs on two pCPUs: they follow each other on a pCPU, which under QEMU's TCG
# used to hand one vCPU the other's live SPSR (DESIGN §4, AArch32); on GICv2 the kernel
# oopsed in interrupt context in 2 runs of 3 (2026-12-05). Cloison carries that SPSR
# across switches since 2026-12-06: 6 runs of each GIC passed.
FOUR_VCPUS = 4


@pytest.mark.parametrize("cpus", [1, 2, FOUR_VCPUS])
@pytest.mark.parametrize("gic", [3, 2])
def test_armhf_linux_plain_domu(request, gic, cpus):
    """The LPAE kernel as a plain domU with a vPL011, GICv3 and GICv2, 1/2/4 vCPUs."""
    with qemu.Console([flavour_dom(request, "lpae", "a32", cpus)], "cloison",
                      qemu.Machine(gic=gic, smp=max(cpus, 2))) as con:
        _check_plain(con, "lpae", "a32", cpus)
    _no_panic(con)


@pytest.mark.parametrize("hv", ["cloison", "xen"])
@pytest.mark.parametrize("cpus", [1, 2])
def test_armmp_linux_plain_domu(request, hv, cpus):
    """The non-LPAE kernel as a plain domU under Cloison and, for parity, Xen 4.17."""
    request.getfixturevalue(hv)
    with qemu.Console([flavour_dom(request, "armmp", "mp", cpus)], hv,
                      qemu.Machine(gic=3, smp=2)) as con:
        _check_plain(con, "armmp", "mp", cpus)
    _no_panic(con)


@pytest.mark.parametrize("flavour,cpus", [("lpae", 1), ("lpae", 2), ("armmp", 2)])
def test_armhf_linux_xen_domu(cloison, request, flavour, cpus):
    """xen,enhanced: the 32-bit kernel finds Xen 4.17 (grant tables, FIFO event
    channels), its console is hvc0 over the PV console ring, and it powers off.
    (Under Cloison only: a dom0less domU's hvc0 under Xen 4.17 needs a dom0's
    xenconsoled, and Debian's non-debug Xen drops a domU's console_io, so nothing of
    it reaches the serial line; the plain domUs are the parity check.)"""
    with qemu.Console([flavour_dom(request, flavour, "x32", cpus, xen=True)], "cloison",
                      qemu.Machine(gic=3, smp=2)) as con:
        con.expect(r"Xen 4\.17 support found", BOOT_TIMEOUT)
        con.expect(r"xen:events: Using FIFO-based ABI", BOOT_TIMEOUT)
        m = con.expect(up_re("x32"), BOOT_TIMEOUT)
        assert int(m.group(1)) == cpus, con.describe()
        _shell(con, 1, "x32")
        con.ask("echo HV-$(cat /sys/hypervisor/type)-END", r"HV-xen-END", CMD_TIMEOUT)
        con.line("poweroff -f")
        con.expect(r"d1 \(domU1\): shut down: poweroff", CMD_TIMEOUT)
    assert "Kernel panic" not in con.res.output, con.res.describe()


def test_armhf_beside_arm64_linux(cloison, armhf, linux):  # noqa: F811
    """A 32-bit and a 64-bit Linux domU at once on two pCPUs: both reach their shell
    and answer."""
    doms = [armhf_dom("a32", 2), qemu.LinuxDomain(
        cpus=2, bootargs=f"{qemu.LINUX_BOOTARGS} cloison_name=a64")]
    with qemu.Console(doms, "cloison", qemu.Machine(gic=3, smp=2)) as con:
        con.expect(up_re("a32"), BOOT_TIMEOUT, since=0)
        con.expect(up_re("a64"), BOOT_TIMEOUT, since=0)
        _shell(con, 1, "a32")
        con.ask("echo M-$(uname -m)-END", r"M-armv7l-END", CMD_TIMEOUT)
        _shell(con, 2, "a64")
        con.ask("echo M-$(uname -m)-END", r"M-aarch64-END", CMD_TIMEOUT)
    assert "Kernel panic" not in con.res.output, con.res.describe()


@pytest.mark.parametrize("hv", ["cloison", "xen"])
def test_armhf_linux_parity(request, armhf, hv):
    """The same DTB under both hypervisors: a plain 2-vCPU armhf domU boots."""
    request.getfixturevalue(hv)
    with qemu.Console([armhf_dom("p32", 2)], hv, qemu.Machine(gic=3, smp=2)) as con:
        m = con.expect(up_re("p32"), BOOT_TIMEOUT)
        assert m.group(1) == "2", con.describe()
    assert re.search(r"Kernel panic", con.res.output) is None, con.res.describe()


# ---- a 32-bit domU made by Debian's xl 4.17 from dom0 ----

# Under Cloison this failed 2 runs in 3 until 2026-12-06 (the domU reached /init, then
# its kernel found `current` NULL: "Insufficient stack space", a paging oops; or an
# interrupt-time oops returning to SVC mode with the T bit set; under single-threaded TCG
# too). The cause: QEMU's TCG keeps the live SPSR of the AArch32 mode apart from
# SPSR_<mode> and neither an exception to EL2 nor the return from it moves it, so a vCPU
# interrupted between Linux's `msr spsr_cxsf` and its `ldm ..^` and resumed on a pCPU where
# its sibling ran returned with the sibling's SPSR (to user code in SVC mode, `current`
# then being the user's TLS). Measured in one passing run with the fix: of 552 entries that
# had to load a vCPU's live SPSR, at least 200 found another vCPU's there. Cloison now
# carries it (DESIGN §4, AArch32): 15 passes in a row, against 3 failures in 3 runs of the
# tree before. Xen 4.17 has no such step; its early oops here is likely the same cause
# (not checked).
@pytest.mark.parametrize("hv", [
    "cloison",
    pytest.param("xen", marks=pytest.mark.xfail(
        reason="under Xen 4.17 (QEMU TCG) this domU's kernel oopses early at boot "
               "(executes data, 'Fatal exception in interrupt'), seen 2026-12-05; likely QEMU's "
               "live AArch32 SPSR, which Xen does not carry across vCPU switches",
        strict=False))])
def test_armhf_xl_create(request, armhf, hv):
    """`xl create -c /etc/xen/armhf.cfg` in the toolstack dom0 (scripts/mkdom0fs.py
    puts the armhf zImage and initramfs there): libxenguest loads the zImage, makes
    the domain 32-bit (set_address_size 32) and starts vCPU 0 in SVC mode; the domU
    reaches its shell on hvc0 with 2 vCPUs and says armv7l; xl destroy ends it."""
    import test_toolstack as ts
    request.getfixturevalue(hv)
    with qemu.Console([], hv=hv, cmd=ts.command(hv)) as con:
        s = ts.Session(con, hv)
        ts.boot(con, s, "ocaml")
        if s.sh("test -f /etc/xen/armhf.cfg")[0] != 0:
            pytest.fail("dom0fs has no armhf kit: run " + qemu.ARMHF_FETCH_HINT +
                        " && /usr/bin/python3 scripts/mkdom0fs.py")
        mark = len(con.res.output)
        con.line("xl create -c /etc/xen/armhf.cfg")
        up = con.expect(ts.DOMU_UP.format(name="armhf"), ts.DOMU_BOOT, since=mark)
        assert up.group(1) == "2", up.group(0) + s.where()
        s.domu_shell("armhf")
        rc, out = s.sh("echo M-$(uname -m)-$(cat /sys/hypervisor/type)")
        assert rc == 0 and "M-armv7l-xen" in out, out + s.where()
        s.detach()
        assert s.xl_list().get("armhf"), s.where()
        s.ok("xl destroy armhf")
        s.wait_for("armhf gone", s.only_dom0_listed)
    assert "Kernel panic" not in con.res.output, con.res.describe()


# ---- hostile AArch32 guests ----

def test_aarch32_hypercall_fuzzer_harms_nobody(cloison):
    """A32 and T32 hcall_fuzz (20,000 random hypercalls each through r12/r0-r4, random
    argument structures, bad 32-bit pointers) beside a 64-bit worker on two pCPUs: the
    worker passes, Cloison stays up, and once all are gone as much memory is free as
    after a benign trio of the same sizes."""
    from test_isolation import assert_hypervisor_sound, last_free_kib
    trio = ["a32_hcall_fuzz", "t32_hcall_fuzz", "worker"]
    res = qemu.run([qemu.Domain(c, enhanced="no-xenstore") for c in trio], "cloison",
                   qemu.Machine(gic=3, smp=2), 300, until=qemu.verdicts_for(trio), linger=1.0)
    assert_all_pass(res, trio)
    assert_hypervisor_sound(res)
    calm_cases = ["a32_hello", "t32_hello", "worker"]
    calm = qemu.run([qemu.Domain(c, enhanced="no-xenstore") for c in calm_cases], "cloison",
                    qemu.Machine(gic=3, smp=2), 120, until=qemu.verdicts_for(calm_cases),
                    linger=1.0)
    assert_all_pass(calm, calm_cases)
    # The boot modules stay reserved (for restarts), in whole pages: the images differ.
    def module_kib(cases):
        return sum(-(-qemu.Domain(c).image_path().stat().st_size // 4096) * 4 for c in cases)
    missing = (last_free_kib(calm) + module_kib(calm_cases)) - (last_free_kib(res) +
                                                                 module_kib(trio))
    assert missing == 0, f"{missing} KiB missing after the fuzzers\n" + res.describe()


@pytest.mark.parametrize("gic", [3, 2], ids=["gicv3", "gicv2"])
def test_aarch32_trap_fuzzer_harms_nobody(cloison, gic):
    """A32 and T32 trap_fuzz (2 vCPUs each, 20,000 accesses per vCPU built at run
    time: random CP15/CP14 MRC/MCR/MRRC/MCRR, conditional under random flags, VMRS/
    VMSR, WFE, failing WFI, HVC/SMC with random immediates, UDF, LDC/STC, MMIO of
    every size and without a syndrome into the vGIC, vPL011 and holes) beside a 64-bit
    worker on two pCPUs: a WFI with the timer armed comes back, holes and accesses
    without a syndrome abort, UDF is UNDEFINED, a failing condition writes no register,
    the worker passes and Cloison stays up."""
    from test_isolation import assert_hypervisor_sound
    trio = ["a32_trap_fuzz", "t32_trap_fuzz", "worker"]
    doms = [qemu.Domain("a32_trap_fuzz", cpus=2), qemu.Domain("t32_trap_fuzz", cpus=2),
            qemu.Domain("worker")]
    res = qemu.run(doms, "cloison", qemu.Machine(gic=gic, smp=2), 300,
                   until=qemu.verdicts_for(trio), linger=1.0)
    assert_all_pass(res, trio)
    assert_hypervisor_sound(res)
    for v in res.final():
        if v.case.endswith("trap_fuzz"):
            assert v.kv.get("cpus") == "2" and v.kv.get("gic") == str(gic), v.line


@pytest.mark.parametrize("gic", [3, 2], ids=["gicv3", "gicv2"])
def test_aarch32_psci_races(cloison, gic):
    """A32 and T32 psci_race (4 vCPUs each on 2 pCPUs, CPU_ON/CPU_OFF of each other for
    2 s, half the starts in T32) beside a 64-bit worker: every CPU_ON answers SUCCESS,
    ALREADY_ON or ON_PENDING, exactly one succeeds per start, every start is in SVC mode
    with interrupts masked, in the instruction set asked for, with its context id."""
    trio = ["a32_psci_race", "t32_psci_race", "worker"]
    doms = [qemu.Domain("a32_psci_race", cpus=4), qemu.Domain("t32_psci_race", cpus=4),
            qemu.Domain("worker")]
    res = qemu.run(doms, "cloison", qemu.Machine(gic=gic, smp=2), 180,
                   until=qemu.verdicts_for(trio), linger=0.3)
    assert_all_pass(res, trio)
    for v in res.final():
        if v.case.endswith("psci_race"):
            assert int(v.kv["starts"]) >= 50 and int(v.kv["t32"]) > 0, v.line


# ---- ELF kernels ----

@pytest.mark.parametrize("hv", ["cloison", "xen"])
def test_aarch32_elf_kernel_refused(request, hv):
    """A 32-bit guest linked as an ELF (the a32_hello zImage's own ELF, entry at its
    load address): Xen 4.17 on ARM probes only the arm64 Image, uImage and zImage
    headers (its ELF loader is gone: the binary has none of kernel_elf_probe's
    messages) and will not build the domain, which stops the whole host; Cloison
    refuses that domain with a message naming ELF, and the 64-bit domain beside it
    runs."""
    request.getfixturevalue(hv)
    elf = qemu.GUESTS / "aarch32" / "a32_hello.elf"
    doms = [qemu.Domain("a32_hello", image=elf), qemu.Domain("hello")]
    res = qemu.run(doms, hv, qemu.Machine(gic=3), 90, linger=0.5,
                   until=lambda r: "TEST hello " in r.output or "Reboot in" in r.output)
    assert "TEST a32_hello PASS" not in res.output, res.describe()
    if hv == "cloison":
        assert "ELF kernel (not supported" in res.output, res.describe()
        assert_all_pass(res, ["hello"])
    else:
        # Xen 4.17 refuses it by panicking the host ("Could not set up domain domU1"
        # right after "Loading d1 kernel"): that is what is checked here, so this run is
        # kept from the no-panic guard (conftest.py), which still sees Cloison's.
        assert re.search(r"Loading d1 kernel.*\n(?:.*\n){0,4}.*Panic on CPU 0:\s*\n"
                         r".*Could not set up domain domU1", res.output), res.describe()
        assert "TEST hello " not in res.output, res.describe()
        qemu.RESULTS.remove(res)
