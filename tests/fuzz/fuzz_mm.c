/*
 * libFuzzer: the boot memory layout (core/mm_layout.c) from arbitrary bytes
 * as the boot DTB, then every boot module the dom0 and dom0less parsers name
 * (boot/dom0less.c, as boot/boot_modules.c does) reserved and checked again.
 * Properties: the RAM set is merged, page aligned and inside the window; the
 * reservations are merged and cover Cloison's image and the tree; modules
 * never overlap each other, and a module is OK exactly when it is reserved
 * as named, inside RAM and clear of image and tree. Tables placed in RAM
 * (a host buffer here) are reserved, page aligned, inside RAM and clear of
 * image, tree and every module; no module the tree names finds them full.
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
static void *tables; /* the host memory standing for the RAM tables */

static void *ram_at(uint64_t pa, uint64_t size)
{
    (void)pa;
    free(tables);
    tables = calloc(1, size);
    if (!tables)
        abort();
    return tables;
}

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
        overlaps(m->start, end, layout.tables) || !rangeset_covers(&layout.ram, m->start, end) ||
        !rangeset_covers(&layout.reserved, m->start, end) || overlaps(m->start, end, image) ||
        overlaps(m->start, end, layout.dtb))
        abort();
}

/* As boot_modules_reserve(); the tables are sized for the tree, so never
 * too many. */
static enum mm_module add_module(const struct boot_module *m)
{
    enum mm_module got = mm_layout_add_module(&layout, m->start, m->size, NULL);

    if (got == MM_MODULE_TOO_MANY)
        abort();
    return got;
}

static int add_modules(void *ctx, struct domain_cfg *cfg)
{
    (void)ctx;
    if (add_module(&cfg->kernel) == MM_MODULE_OK && cfg->ramdisk.size)
        add_module(&cfg->ramdisk);
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
    if (layout.tables.start == layout.tables.end)
        return;
    if (!rangeset_covers(&layout.reserved, layout.tables.start, layout.tables.end) ||
        !rangeset_covers(&layout.ram, layout.tables.start, layout.tables.end) ||
        (layout.tables.start | layout.tables.end) & 0xfff ||
        overlaps(image.start, image.end, layout.tables) ||
        overlaps(layout.dtb.start, layout.dtb.end, layout.tables))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct domain_cfg scratch;
    void *fdt = fuzz_fdt(data, size);

    if (!fdt)
        return 0;
    if (mm_layout_scan(&layout, fdt, image, (struct range){GiB, 256 * GiB}, ram_at, fuzz_report) ==
        0) {
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
