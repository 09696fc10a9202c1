"""dom0 reads a disk QEMU gives it as virtio-blk-device (issue 4): the virtio-mmio
node is passed through (MMIO 1:1) and its SPI forwarded through the vGIC
(vdev/vgic-hw.c). Without the interrupt, virtio-blk's first request never
completes and no DISKTEST line appears. The same disk as virtio-blk-pci behind
the PCIe host bridge: on a GICv2 host its interrupts are MSIs through the GICv2m
frame passed to dom0 (its SPIs routed to dom0); on GICv3 (no ITS emulation yet)
Linux falls back to the INTx SPIs taken from the bridge's interrupt-map.

The disk is an ext2 image made at test time (mke2fs -d, e2fsprogs) holding
/disktest with random content; the initramfs' /init, given
cloison.disktest=vda, mounts it and prints the file's sha256
(scripts/mkinitramfs.py)."""

import hashlib
import os
import shutil
import subprocess

import pytest

import qemu
from test_dom0 import DOM0_BOOTARGS, dom0_command

MKE2FS = shutil.which("mke2fs") or "/usr/sbin/mke2fs"


def make_disk(tmp_path) -> tuple:
    root = tmp_path / "root"
    root.mkdir()
    payload = os.urandom(192 * 1024 + 123)  # several requests, not block-aligned
    (root / "disktest").write_bytes(payload)
    img = tmp_path / "disk.img"
    if not os.path.exists(MKE2FS):
        pytest.fail("mke2fs is missing: install e2fsprogs (`make deps`)")
    subprocess.run([MKE2FS, "-q", "-F", "-t", "ext2", "-b", "1024", "-d", str(root), str(img),
                    "4M"], check=True, env={**os.environ, "E2FSPROGS_FAKE_TIME": "1"})
    return img, hashlib.sha256(payload).hexdigest()


def disk_command(machine: qemu.Machine, img, device: str = "virtio-blk-device") -> list:
    cmd = dom0_command(machine)
    old = f"bootargs={DOM0_BOOTARGS}"
    cmd = [a.replace(old, old + " cloison.disktest=vda") if old in a else a for a in cmd]
    assert any("cloison.disktest=vda" in a for a in cmd), cmd
    return cmd + ["-drive", f"if=none,file={img},format=raw,id=d0",
                  "-device", f"{device},drive=d0"]


@pytest.mark.parametrize("device", ["virtio-blk-device", "virtio-blk-pci"], ids=["mmio", "pci"])
@pytest.mark.parametrize("gic", [3, 2], ids=["gicv3", "gicv2"])
def test_dom0_reads_virtio_blk(cloison, tmp_path, gic, device):
    img, want = make_disk(tmp_path)
    machine = qemu.Machine(gic=gic, smp=2, mem_mib=2048)
    with qemu.Console([], machine=machine, cmd=disk_command(machine, img, device)) as con:
        con.expect(qemu.LINUX_UP_RE, timeout=300)
        m = con.expect(r"DISKTEST (sha256=([0-9a-f]{64})|error=\S+)", timeout=120)
        irqs = con.expect(r"DISKTEST irqs=([0-9 ]*)\r?\n", timeout=30)
        msi = int(con.expect(r"DISKTEST msi=(\d+)\r?\n", timeout=30).group(1))
    text = con.res.output
    assert m.group(2) == want, f"read back {m.group(1)}, want sha256={want}\n" + con.describe()
    # The transfer completed by interrupt: some virtio line counted them.
    assert any(int(n) > 0 for n in irqs.group(1).split()), irqs.group(0)
    want_msi = device == "virtio-blk-pci" and gic == 2
    assert (msi > 0) == want_msi, f"{msi} virtio MSI lines, want {'some' if want_msi else 'none'}"
    if want_msi:
        assert "d0: GICv2m frame at 0x8020000 passed through" in text, con.describe()
    assert "unexpected interrupt" not in text, con.describe()
    assert "Kernel panic" not in text and "kernel BUG" not in text, con.describe()
