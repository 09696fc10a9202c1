#!/usr/bin/env python3
"""Write the fuzzers' seed corpora into tests/fuzz/corpus/<name>/ (committed).

Small hand-made inputs, one scenario each, so every fuzzer starts from the
interesting states instead of finding them by chance: hypercall sequences
for fuzz_hc_* (record format in tests/fuzz/hc_fuzz.h), device trees compiled
with dtc for fuzz_dom0less, and a few inputs for fuzz_buddy and fuzz_printf.
Run from anywhere: python3 tests/fuzz/mkseeds.py (needs dtc).
"""
import shutil
import struct
import subprocess
import sys

from seeds_io import write

SELF = 0x7FF0                  # DOMID_SELF
RAM_GFN = 0x40000              # FAKE_RAM_GFN: guest RAM at IPA 0x40000000, 8 pages
ARG, ARG2, ARG3 = 0x1000, 0x2000, 0x3000   # argument areas: offsets into guest RAM
D0, D1, D2, D3 = 0, 1, 2, 3    # dom0, two Xen domUs, the plain VM


class Ptr(int):
    """An argument that is a guest RAM offset (form 1)."""


def rec(caller, entry, args=(), stores=()):
    """One record: caller domain, family table entry, up to 5 arguments,
    up to 3 guest stores of at most 64 bytes each."""
    assert len(args) <= 5 and len(stores) <= 3
    form, body = len(stores) << 10, b""
    for i, a in enumerate(args):
        if isinstance(a, Ptr):
            f, b = 1, struct.pack("<H", a)
        elif a < 0x100:
            f, b = 0, struct.pack("<B", a)
        elif a < 1 << 32:
            f, b = 3, struct.pack("<I", a)
        else:
            f, b = 2, struct.pack("<Q", a)
        form |= f << (2 * i)
        body += b
    for i in range(len(args), 5):
        body += b"\0"  # form 0: one zero byte
    for off, data in stores:
        assert len(data) <= 64
        body += struct.pack("<HB", off, len(data)) + data
    return struct.pack("<BH", caller | (entry << 2), form) + body


# ---- event_channel_op: table 0-4 event_channel_op, 5 sched_op, 6 vcpu_op, 7 destroy
EV, SCHED, VCPU, DESTROY = 0, 5, 6, 7


def ev(caller, cmd, arg=b"", at=ARG):
    return rec(caller, EV, [cmd, Ptr(at)], [(at, arg)] if arg else [])


def evtchn_seeds():
    alloc = struct.pack("<HHI", SELF, 0, 0)          # d1: a port for dom0
    bind = struct.pack("<HxxII", 1, 1, 0)            # dom0 binds d1's port 1
    port1 = struct.pack("<I", 1)
    interdomain = (ev(D1, 6, alloc) + ev(D0, 0, bind) + ev(D0, 4, port1) +
                   ev(D1, 5, struct.pack("<HxxI", SELF, 1) + bytes(20)) + ev(D1, 9, port1) +
                   ev(D1, 3, port1))
    fifo = (ev(D1, 11, struct.pack("<QII", RAM_GFN + 4, 0, 0) + bytes(8)) +
            ev(D1, 12, struct.pack("<Q", RAM_GFN + 5)) + ev(D1, 6, alloc) +
            ev(D0, 0, bind) + ev(D0, 4, port1) + ev(D1, 13, struct.pack("<II", 1, 3)) +
            ev(D1, 1, struct.pack("<III", 0, 1, 0)) + ev(D1, 7, struct.pack("<II", 1, 0)) +
            ev(D1, 8, struct.pack("<II", 1, 1)))
    poll = (ev(D1, 6, alloc) + ev(D1, 1, struct.pack("<III", 1, 0, 0)) +
            rec(D1, SCHED, [3, Ptr(ARG)], [(ARG, struct.pack("<QIIQ", 0x40002000, 2, 0, 0)),
                                          (ARG2, struct.pack("<II", 1, 2))]) +
            rec(D1, VCPU, [10, 0, Ptr(ARG)], [(ARG, struct.pack("<QII", RAM_GFN + 3, 64, 0))]) +
            ev(D0, 4, port1))
    teardown = (ev(D1, 6, alloc) + ev(D0, 0, bind) + ev(D1, 6, struct.pack("<HHI", SELF, 2, 0)) +
                rec(D1, DESTROY) + ev(D0, 4, port1) + ev(D0, 10, struct.pack("<H", 1)) +
                ev(D0, 10, struct.pack("<H", SELF)))
    loopback = (ev(D2, 6, struct.pack("<HHI", SELF, SELF, 0)) +
                ev(D2, 0, struct.pack("<HxxII", SELF, 1, 0)) + ev(D2, 4, port1) +
                ev(D2, 7, struct.pack("<II", 0, 0)))
    write("hc_evtchn", {"interdomain": interdomain, "fifo": fifo, "poll": poll,
                        "teardown": teardown, "loopback": loopback})


# ---- grant_table_op: table 0-4 grant_table_op, 5-6 memory_op, 7 destroy
GNT, MEM = 0, 5


def gnt(caller, cmd, ops, count=1, at=ARG):
    stores = [(at + i, ops[i:i + 64]) for i in range(0, len(ops), 64)]
    return rec(caller, GNT, [cmd, Ptr(at), count], stores)


def map_table(caller, gfn=RAM_GFN + 7):
    """add_to_physmap(grant_table, idx 0) over the caller's own page 7, so its
    later stores to RAM page 7 write grant entries."""
    xatp = struct.pack("<HHIQQ", SELF, 0, 1, 0, gfn)
    return rec(caller, MEM, [7, Ptr(ARG3)], [(ARG3, xatp)])


def entry(ref, flags, domid, frame):
    return (7 * 4096 + 8 * ref, struct.pack("<HHI", flags, domid, frame))


def grant_seeds():
    map_op = struct.pack("<QIIHhIQ", 0x50000000, 2, 1, 1, 0, 0, 0)   # d2 maps d1's ref 1
    unmap_op = struct.pack("<QQIhxx", 0x50000000, 0, 0, 0)
    copy_op = (struct.pack("<QHH4x", 1, 1, 0) + struct.pack("<QHH4x", RAM_GFN + 2, SELF, 0) +
               struct.pack("<HHhxx", 16, 1, 0))
    grant = map_table(D1) + rec(D1, GNT, [99], [entry(1, 1, 2, RAM_GFN + 3)])
    map_unmap = grant + gnt(D2, 0, map_op) + gnt(D2, 5, copy_op) + gnt(D2, 1, unmap_op)
    zombie = grant + gnt(D2, 0, map_op) + rec(D1, 7) + gnt(D2, 1, unmap_op)
    mapper_dies = grant + gnt(D2, 0, map_op) + rec(D2, 7) + gnt(D1, 11, struct.pack("<IIh2x", 1, 2, 0))
    self_copy = (struct.pack("<QHH4x", RAM_GFN + 5, SELF, 0) +
                 struct.pack("<QHH4x", RAM_GFN + 6, SELF, 8) + struct.pack("<HHhxx", 8, 0, 0))
    many = gnt(D1, 5, self_copy * 3, count=130)   # 3 copies, then zeroed ones: continues at 128
    queries = (gnt(D1, 6, struct.pack("<HxxIIhxx", SELF, 0, 0, 0)) +
               gnt(D1, 2, struct.pack("<HxxIh6xQ", SELF, 2, 0, 0x40002000)) +
               gnt(D1, 8, struct.pack("<I", 2)) + gnt(D1, 10, struct.pack("<HHI", SELF, 0, 0)) +
               gnt(D1, 9, struct.pack("<IHhQ", 0, SELF, 0, 0)) +
               gnt(D1, 12 | (1 << 12), struct.pack("<QHHI", 0x40001000, 0, 64, 1)) +
               gnt(D0, 6, struct.pack("<HxxIIhxx", 1, 0, 0, 0)))
    transfer = gnt(D1, 4, struct.pack("<QHxxIhxx", RAM_GFN, 2, 0, 0)) + grant + gnt(D1, 11, struct.pack("<IIh2x", 1, 2, 0))
    write("hc_grant", {"map_unmap": map_unmap, "zombie": zombie, "mapper_dies": mapper_dies,
                       "many": many, "queries": queries, "transfer": transfer})


# ---- memory_op: table 0-4 memory_op, 5 grant_table_op, 6 event_channel_op, 7 destroy
M_GNT, M_EV = 5, 6


def mem(caller, cmd, arg=b"", at=ARG, stores=()):
    st = [(at + i, arg[i:i + 64]) for i in range(0, len(arg), 64)] + list(stores)
    return rec(caller, 0, [cmd, Ptr(at)], st)


def memory_seeds():
    shinfo = (mem(D1, 7, struct.pack("<HHIQQ", SELF, 0, 0, 0, 0x38000)) +
              mem(D1, 15, struct.pack("<HxxxxxxQ", SELF, 0x38000)) +
              mem(D1, 7, struct.pack("<HHIQQ", SELF, 0, 0, 0, RAM_GFN + 2)))
    gfns = struct.pack("<QQ", RAM_GFN + 6, RAM_GFN + 7)
    balloon = (mem(D1, 1, struct.pack("<QQIIH6x", 0x40002000, 2, 0, 0, SELF),
                   stores=[(ARG2, gfns)]) +
               mem(D1, 6, struct.pack("<QQIIH6x", 0x40002000, 1, 0, 0, SELF)) +
               mem(D1, 0, struct.pack("<QQIIH6x", 0, 1, 0, 0, SELF)) +
               mem(D1, 3, struct.pack("<H", SELF)) + mem(D1, 14, struct.pack("<H", SELF)) +
               mem(D0, 4, struct.pack("<H", 1)))
    batch = struct.pack("<HHHHQQQ", SELF, 4, 2, 1, 0x40002000, 0x40003000, 0x40004000)
    foreign = (mem(D0, 23, batch, stores=[(ARG2, struct.pack("<QQ", RAM_GFN, RAM_GFN + 1)),
                                          (ARG3, struct.pack("<QQ", 0x60000, RAM_GFN + 7))]) +
               rec(D1, 7) + mem(D0, 15, struct.pack("<HxxxxxxQ", SELF, 0x60000)) +
               mem(D0, 1, struct.pack("<QQIIH6x", 0x40003008, 1, 0, 0, SELF)))
    fifo_balloon = (rec(D1, M_EV, [11, Ptr(ARG)], [(ARG, struct.pack("<QII", RAM_GFN + 4, 0, 0) + bytes(8))]) +
                    mem(D1, 1, struct.pack("<QQIIH6x", 0x40002000, 1, 0, 0, SELF),
                        stores=[(ARG2, struct.pack("<Q", RAM_GFN + 4))]) +
                    rec(D1, M_EV, [6, Ptr(ARG)], [(ARG, struct.pack("<HHI", SELF, SELF, 0))]))
    grant_frame = (mem(D1, 7, struct.pack("<HHIQQ", SELF, 0, 1, 0, RAM_GFN + 7)) +
                   rec(D1, M_GNT, [2, Ptr(ARG), 1], [(ARG, struct.pack("<HxxIh6xQ", SELF, 1, 0, 0x40002000))]) +
                   mem(D1, 15, struct.pack("<HxxxxxxQ", SELF, RAM_GFN + 7)) +
                   mem(D0, 7, struct.pack("<HHIQQ", 1, 0, 1, 3, 0x38003)))
    # acquire_resource by dom0 of d1's grant frames 0-1 at 0x60000-1 (frame_list at
    # ARG2), the size query, then the munmap; the compat seeding of d1's frame 0.
    aq = struct.pack("<HHIIIQQ", 1, 1, 0, 2, 0, 0, 0x40002000)
    acquire = (mem(D0, 28, aq, stores=[(ARG2, struct.pack("<QQ", 0x60000, 0x60001))]) +
               mem(D0, 28, struct.pack("<HHIIIQQ", 1, 1, 0, 0, 0, 0, 0)) +
               mem(D0, 15, struct.pack("<HxxxxxxQ", SELF, 0x60000)) +
               mem(D0, 7, struct.pack("<HHIQQ", 1, 0, 1, 0, 0x38000)) +
               mem(D0, 23, struct.pack("<HHHHQQQ", SELF, 4, 1, 1, 0x40002000, 0x40003000,
                                       0x40004000),
                   stores=[(ARG2, struct.pack("<Q", 0x38000)), (ARG3, struct.pack("<Q", 0x60002))]))
    write("hc_memory", {"shinfo": shinfo, "balloon": balloon, "foreign": foreign,
                        "fifo_balloon": fifo_balloon, "grant_frame": grant_frame,
                        "acquire": acquire})


# ---- misc: 0 sched 1 vcpu 2 hvm 3 console 4 version 5 platform 6 physdev 7 vm_assist
#            8 type a byte 9 any number 10 destroy
def misc_seeds():
    sched = (rec(D1, 0, [0]) + rec(D1, 0, [1]) +
             rec(D1, 0, [5, Ptr(ARG)], [(ARG, struct.pack("<I", 3))]) +
             rec(D0, 0, [4, Ptr(ARG)], [(ARG, struct.pack("<HHI", 2, 0, 1))]) +
             rec(D1, 0, [2, Ptr(ARG)], [(ARG, struct.pack("<I", 0))]) + rec(D1, 0, [6]))
    vcpu = (rec(D1, 1, [10, 0, Ptr(ARG)], [(ARG, struct.pack("<QII", RAM_GFN + 3, 64, 0))]) +
            rec(D1, 1, [5, 1, Ptr(ARG)], [(ARG, struct.pack("<Q", 0x40002000))]) +
            rec(D1, 7, [0, 5]) + rec(D1, 1, [5, 0, Ptr(ARG)]))
    hvm = (rec(D0, 2, [0, Ptr(ARG)], [(ARG, struct.pack("<HHIQ", 1, 0, 1, 0xfeed))]) +
           rec(D1, 2, [1, Ptr(ARG)], [(ARG, struct.pack("<HHIQ", SELF, 0, 1, 0))]) +
           rec(D1, 2, [0, Ptr(ARG)], [(ARG, struct.pack("<HHIQ", SELF, 0, 28, 0))]))
    console = (rec(D1, 3, [0, 12, Ptr(ARG)], [(ARG, b"hello world\n")]) +
               rec(D0, 8, [ord("x")]) + rec(D0, 8, [1]) + rec(D0, 3, [1, 8, Ptr(ARG)]) +
               rec(D1, 3, [0, 3000, Ptr(ARG)]))
    version = b"".join(rec(D1, 4, [c, Ptr(ARG)]) for c in range(11))
    feat = rec(D0, 4, [6, Ptr(ARG)], [(ARG, struct.pack("<II", 0, 0))])
    settime = struct.pack("<IIQIIQ", 62, 0x03000001, 1700000000, 0, 0, 0)
    platform = (rec(D0, 5, [Ptr(ARG)], [(ARG, settime)]) + rec(D1, 5, [Ptr(ARG)], [(ARG, settime)]) +
                rec(D0, 6, [25, Ptr(ARG)]))
    anynr = b"".join(rec(D2, 9, [n, 0, Ptr(ARG)]) for n in (0, 7, 13, 17, 33, 35, 63))
    def domctl(cmd, dom, u, stores=()):
        return rec(D0, 12, [Ptr(ARG)], [(ARG, struct.pack("<IIH6x", cmd, 0x15, dom) + u)] +
                   list(stores))

    def sysctl(cmd, u, stores=()):
        return rec(D0, 13, [Ptr(ARG)], [(ARG, struct.pack("<II", cmd, 0x15) + u)] + list(stores))
    maps = [(ARG2, b"\x02\x00"), (ARG3, b"\x01\x00")]
    ctl = (domctl(14, 1, struct.pack("<I", 0)) +
           domctl(9, 1, struct.pack("<IIQIIQII", 0, 3, 0x40002000, 16, 0, 0x40003000, 16, 0),
                  maps) +
           domctl(25, 1, struct.pack("<IIQIIQII", 0, 3, 0x40002000, 16, 0, 0x40003000, 16, 0)) +
           domctl(16, 1, struct.pack("<IIHH", 6, 0, 512, 50)) +
           domctl(17, 1, bytes(range(16))) + domctl(35, 1, struct.pack("<I", 64)) +
           domctl(86, 1, struct.pack("<Q", 0x100000)) + domctl(85, 1, b"") +
           domctl(68, 1, struct.pack("<QII", 0x40002000, 8, 0), maps))
    host = (sysctl(1, struct.pack("<BBxxIQI", 0, 1, 0, 0x40002000, 4096)) +
            sysctl(16, struct.pack("<IIQ", 4, 0, 0x40002000)) +
            sysctl(17, struct.pack("<IIQQ", 1, 0, 0x40002000, 0x40003000)) +
            sysctl(19, struct.pack("<IIIIi", 0, 6, 0, 0, 2000)))
    write("hc_misc", {"sched": sched, "vcpu": vcpu, "hvm": hvm, "console": console,
                      "version": version + feat, "platform": platform, "any": anynr,
                      "ctl": ctl, "ctl_host": host,
                      "destroy": rec(D0, 10) + rec(D1, 3, [0, 4, Ptr(ARG)], [(ARG, b"bye\n")])})


# ---- fuzz_dom0less: small valid trees (dtc), boot arguments and domain nodes
DTS_HEAD = "/dts-v1/;\n/ {\n#address-cells = <2>;\n#size-cells = <2>;\n"
DOMU = """
{name} {{
    compatible = "xen,domain";
    #address-cells = <{ac}>;
    #size-cells = <{sc}>;
    memory = <{mem}>;
    cpus = <{cpus}>;
    {extra}
    module@4a000000 {{
        compatible = "multiboot,kernel", "multiboot,module";
        reg = <{reg}>;
        bootargs = "console=ttyAMA0";
    }};
}};
"""


def dtb(chosen):
    src = DTS_HEAD + "chosen {\n#address-cells = <2>;\n#size-cells = <2>;\n" + chosen + "};\n};\n"
    return subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb"], input=src.encode(),
                          stdout=subprocess.PIPE, check=True).stdout


def dom0less_seeds():
    one = DOMU.format(name="domU1", ac=2, sc=1, mem="0 131072", cpus=2, extra="vpl011;",
                      reg="0x0 0x4a000000 0xffffff")
    enh = DOMU.format(name="domU2", ac=1, sc=1, mem="65536", cpus=1,
                      extra='xen,enhanced = "enabled"; cloison,event-channels = <8192>;',
                      reg="0x4a000000 0x200000")
    big = DOMU.format(name="domU3", ac=2, sc=2, mem="0 0x40000", cpus=8,
                      extra="xen,enhanced; on_crash = \"restart\";",
                      reg="0x1 0x20000000 0x0 0x3000000")
    write("dom0less", {
        "bootargs.dtb": dtb('xen,xen-bootargs = "console=dtuart loglvl=all dom0_mem=512M";\n'),
        "one_domu.dtb": dtb(one),
        "enhanced.dtb": dtb(enh),
        "three.dtb": dtb(one + enh + big),
        "dom0_modules.dtb": dtb('module@50000000 {\ncompatible = "multiboot,kernel", '
                                '"multiboot,module";\nreg = <0x0 0x50000000 0x0 0x1000000>;\n'
                                'bootargs = "console=hvc0";\n};\n' + one),
    })


def small_seeds():
    # fuzz_buddy: 6 header bytes (pages, base, first, count), then (op, arg) pairs
    hdr = struct.pack("<HBBH", 512, 3, 0, 512)
    write("buddy", {"alloc_free": hdr + bytes([1, 0, 1, 3, 0, 0, 1, 9, 0, 1]),
                    "orders": hdr + b"".join(bytes([1, o]) for o in range(12)) + bytes([0, 2] * 6)})
    write("printf", {"ints": b"%d %5u %-8x %lx %llu %%", "strings": b"%s|%10s|%-10s|%.2s",
                     "ptr": b"%p %c %hhd %zu %#o"})
    # fuzz_sched_credit2: 3-byte ops (op, a, b): 0 wake item a, 1 sleep, 2 pick on pCPU b,
    # 3 time passes, 4 affinity, 5 weight/cap of domain a, 6 item leaves, 7 joins,
    # 8 pCPU b leaves the pool, 9 joins it
    def c2(*ops):
        return b"".join(bytes(o) for o in ops)
    wake_all = [(0, i, 0) for i in range(12)]
    picks = [(2, 0, c) for c in range(4)]
    tick = [(3, 0, 40)]
    write("sched_credit2", {
        "share": c2(*wake_all, *(picks + tick) * 20),
        "caps": c2((5, 0, 0x80 | 25), (5, 1, 3), *wake_all, *(picks + tick) * 30, (5, 0, 0)),
        "pools": c2(*wake_all, *picks, (8, 0, 3), *tick, (4, 1, 1), (9, 0, 3), *(picks + tick) * 5,
                    (8, 0, 0), (6, 2, 0), (7, 2, 0), (0, 2, 0), *(picks + tick) * 5),
        "blocking": c2(*wake_all, *((1, i, 0) for i in range(0, 12, 2)), *(picks + tick) * 5,
                       *((0, i, 0) for i in range(0, 12, 2)), *(picks + tick) * 5),
    })


if __name__ == "__main__":
    if not shutil.which("dtc"):
        sys.exit("mkseeds: dtc not found (make deps installs device-tree-compiler)")
    evtchn_seeds()
    grant_seeds()
    memory_seeds()
    misc_seeds()
    dom0less_seeds()
    small_seeds()
