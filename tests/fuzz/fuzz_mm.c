/*
 * libFuzzer: the boot memory layout (core/mm_layout.c) from arbitrary bytes
 * as the boot DTB, then every boot module the dom0 and dom0less parsers name
 * (boot/dom0less.c, as boot/boot_modules.c does) reserved and checked again.
 * Properties: the RAM set is merged, page aligned and inside the window; the
 * reservations are merged and cover Cloison's image and the tree; modules
 * never overlap each other, and a module is OK exactly when it is reserved
 * as named, inside RAM and clear of image and tree.
 */
#include <stdint.h>
#include <stdlib.h>
#include <core/domain_cfg.h>
#include <core/mm_layout.h>
#include "fuzz_fdt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define GiB (1ULL << 30)

static struct mm_layout layout;
static const struct range image = {0x40200000, 0x40400000};

static bool overlaps(uint64_t a, uint64_t b, struct range r)
{
    return a < r.end && b > r.start;
}

static void check_module(const struct boot_module *m)
{
    struct range c;
    enum mm_module got = mm_layout_check_module(&layout, m->start, m->size, &c);
    uint64_t end = range_end(m->start, m->size);

    if (got != MM_MODULE_OK) {
        if (got == MM_MODULE_OVERLAP && !overlaps(m->start, end, c))
            abort();
        return;
    }
    if (!m->size || !rangeset_find(&layout.modules, m->start, end) ||
        !rangeset_covers(&layout.ram, m->start, end) ||
        !rangeset_covers(&layout.reserved, m->start, end) || overlaps(m->start, end, image) ||
        overlaps(m->start, end, layout.dtb))
        abort();
}

static int add_modules(void *ctx, struct domain_cfg *cfg)
{
    (void)ctx;
    if (mm_layout_add_module(&layout, cfg->kernel.start, cfg->kernel.size, NULL) == MM_MODULE_OK &&
        cfg->ramdisk.size)
        mm_layout_add_module(&layout, cfg->ramdisk.start, cfg->ramdisk.size, NULL);
    return 0;
}

static int check_modules(void *ctx, struct domain_cfg *cfg)
{
    (void)ctx;
    check_module(&cfg->kernel);
    if (cfg->ramdisk.size)
        check_module(&cfg->ramdisk);
    return 0;
}

static void check_layout(void)
{
    if (!rangeset_check(&layout.ram, true) || !rangeset_check(&layout.reserved, true) ||
        !rangeset_check(&layout.modules, false) || !layout.ram.nr)
        abort();
    for (unsigned int i = 0; i < layout.ram.nr; i++) {
        const struct range *r = &layout.ram.r[i];
        if (r->start < GiB || r->end > 256 * GiB || (r->start | r->end) & 0xfff)
            abort();
    }
    if (!rangeset_covers(&layout.reserved, image.start, image.end) ||
        !rangeset_covers(&layout.reserved, layout.dtb.start & ~0xfffULL, layout.dtb.end))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct domain_cfg scratch;
    void *fdt = fuzz_fdt(data, size);

    if (!fdt)
        return 0;
    if (mm_layout_scan(&layout, fdt, image, (struct range){GiB, 256 * GiB}, fuzz_report) == 0) {
        check_layout();
        if (dom0_parse(fdt, &scratch, NULL) == 1)
            add_modules(NULL, &scratch);
        dom0less_for_each(fdt, &scratch, add_modules, NULL, NULL);
        check_layout();
        if (dom0_parse(fdt, &scratch, NULL) == 1)
            check_modules(NULL, &scratch);
        dom0less_for_each(fdt, &scratch, check_modules, NULL, NULL);
    }
    free(fdt);
    return 0;
}
