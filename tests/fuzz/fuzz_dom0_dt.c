/*
 * libFuzzer: dom0's device tree (boot/dom0_dt.c) derived from arbitrary
 * bytes as the host DTB, with the parameters dom0_build() passes, then the
 * walks dom0_build() makes over the result (MMIO ranges, SPIs, the PCIe
 * interrupt-map, GICv2m frames). Properties: a derived tree is well formed
 * (fdt_validate, and libfdt's own full check when the host tree passed it)
 * and has none of Cloison's boot modules or domains; every walk ends.
 */
#include <stdint.h>
#include <stdlib.h>
#include <boot/dom0_dt.h>
#include "fuzz_fdt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t seen;

static void on_range(void *ctx, uint64_t base, uint64_t len)
{
    (void)ctx;
    seen += base ^ len;
}

static void on_spi(void *ctx, uint32_t intid)
{
    (void)ctx;
    seen += intid;
}

static void on_v2m(void *ctx, const struct dom0_v2m *f)
{
    (void)ctx;
    seen += f->base + f->size + f->base_spi + f->nr_spis;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const struct dom0_dt_params p = {
        .nr_vcpus = 2,
        .nr_banks = 2,
        .bank_base = {0x60000000, 0x80000000},
        .bank_size = {0x10000000, 0x10000000},
        .bootargs = "console=hvc0 earlycon=xen",
        .initrd_start = 0x68000000,
        .initrd_size = 0x100000,
        .gnttab_base = 0x40200000,
        .gnttab_size = 0x40000,
        .evtchn_ppi = 31,
        .hv_uart = 0x09000000,
    };
    void *fdt = fuzz_fdt(data, size);

    if (!fdt)
        return 0;
    /* As dom0_build(): the host tree's size plus room for what is added. */
    size_t room = (fdt_totalsize(fdt) + 64 * 1024 + 7) & ~(size_t)7;
    void *out = aligned_alloc(8, room);
    if (out && dom0_dt_build(fdt, out, room, &p) == 0) {
        /* libfdt's full check also wants unique names, which fdt_validate()
         * leaves to the parsers: only a tree that had them must keep them. */
        bool sound = fdt_check_full(fdt, fdt_totalsize(fdt)) == 0;
        if (fdt_validate(out, room) != 0 || (sound && fdt_check_full(out, fdt_totalsize(out)) != 0))
            abort();
        /* (The root is never deleted, whatever its compatible says.) */
        if (fdt_node_offset_by_compatible(out, 0, "xen,domain") >= 0 ||
            fdt_node_offset_by_compatible(out, 0, "multiboot,module") >= 0)
            abort();
        dom0_dt_for_each_mmio(out, on_range, NULL);
        dom0_dt_for_each_spi(out, on_spi, NULL);
        dom0_dt_for_each_map_spi(out, on_spi, NULL);
        dom0_dt_for_each_v2m(out, on_v2m, NULL);
    }
    free(out);
    free(fdt);
    return 0;
}
