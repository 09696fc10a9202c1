/*
 * core/mm_layout.c: RAM banks and reservations read from small device trees
 * (written here with libfdt's sequential API), the refusals each bad tree
 * gets (naming node and property), and the boot-module rules.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libfdt.h>
#include "harness.h"
#include "test_files.h"
#include <core/mm_layout.h>

#define GiB (1ULL << 30)
#define MiB (1ULL << 20)
#define IMAGE_START (0x40200000ULL)
#define IMAGE_END (0x40400000ULL)

static const struct range window = {GiB, 256 * GiB};
static const struct range image = {IMAGE_START, IMAGE_END};
static struct mm_layout layout;
/* What a test tree has: root cells, memory banks (2+2 cells unless the
 * root says otherwise), /memreserve/ entries, /reserved-memory children. */
struct tree {
    int root_ac, root_sc; /* 0 = property absent; -1 = 3-byte property */
    uint64_t bank[10][2];
    int nbanks;
    int bank_extra_bytes; /* trailing partial entry */
    uint64_t rsv[2000][2];
    int nrsv;
    int rm_ac, rm_sc; /* /reserved-memory cells; 0 = absent */
    uint64_t rm[4][2];
    int nrm;
};

static void put_cells(fdt32_t *out, int *k, uint64_t v, int cells)
{
    for (int i = cells - 1; i >= 0; i--)
        out[(*k)++] = cpu_to_fdt32(i < 2 ? (uint32_t)(v >> (32 * i)) : 0);
}

static void add_reg(void *fdt, const uint64_t (*e)[2], int n, int ac, int sc, int extra)
{
    fdt32_t reg[64];
    int k = 0;
    for (int i = 0; i < n; i++) {
        put_cells(reg, &k, e[i][0], ac);
        put_cells(reg, &k, e[i][1], sc);
    }
    fdt_property(fdt, "reg", reg, k * 4 + extra);
}

static void *build(const struct tree *t)
{
    size_t size = 64 * 1024 + (size_t)t->nrsv * 16;
    void *fdt = calloc(1, size);
    int ac = t->root_ac > 0 ? t->root_ac : 2, sc = t->root_sc > 0 ? t->root_sc : 1;
    if (ac > 2)
        ac = 2;
    if (sc > 2)
        sc = 2;
    fdt_create(fdt, (int)size);
    for (int i = 0; i < t->nrsv; i++)
        fdt_add_reservemap_entry(fdt, t->rsv[i][0], t->rsv[i][1]);
    fdt_finish_reservemap(fdt);
    fdt_begin_node(fdt, "");
    if (t->root_ac > 0)
        fdt_property_cell(fdt, "#address-cells", (uint32_t)t->root_ac);
    if (t->root_sc > 0)
        fdt_property_cell(fdt, "#size-cells", (uint32_t)t->root_sc);
    if (t->root_ac < 0)
        fdt_property(fdt, "#address-cells", "abc", 3);
    if (t->root_ac == 0 && t->root_sc == 0) {
        fdt_property_cell(fdt, "#address-cells", 2);
        fdt_property_cell(fdt, "#size-cells", 2);
        ac = sc = 2;
    }
    if (t->nbanks) {
        fdt_begin_node(fdt, "memory@40000000");
        fdt_property_string(fdt, "device_type", "memory");
        add_reg(fdt, t->bank, t->nbanks, ac, sc, t->bank_extra_bytes);
        fdt_end_node(fdt);
    }
    if (t->nrm) {
        fdt_begin_node(fdt, "reserved-memory");
        if (t->rm_ac)
            fdt_property_cell(fdt, "#address-cells", (uint32_t)t->rm_ac);
        if (t->rm_sc)
            fdt_property_cell(fdt, "#size-cells", (uint32_t)t->rm_sc);
        fdt_begin_node(fdt, "fw@48000000");
        add_reg(fdt, t->rm, t->nrm, t->rm_ac ? t->rm_ac : ac, t->rm_sc ? t->rm_sc : sc, 0);
        fdt_end_node(fdt);
        fdt_end_node(fdt);
    }
    fdt_end_node(fdt);
    fdt_finish(fdt);
    return fdt;
}

static int scan(const struct tree *t, void **fdtp)
{
    void *fdt = build(t);
    test_msgs_clear();
    int rc = mm_layout_scan(&layout, fdt, image, window, test_msgs_collect);
    if (fdtp)
        *fdtp = fdt;
    else
        free(fdt);
    return rc;
}

static struct tree tr;

static void one_bank(void)
{
    memset(&tr, 0, sizeof(tr));
    tr.bank[0][0] = GiB;
    tr.bank[0][1] = 2 * GiB;
    tr.nbanks = 1;
}

static bool reserved(uint64_t a, uint64_t b)
{
    return rangeset_covers(&layout.reserved, a, b);
}

TEST(a_good_tree)
{
    one_bank();
    tr.rsv[0][0] = 0x48000000;
    tr.rsv[0][1] = 0x1000;
    tr.rsv[1][0] = 0x48000800; /* overlapping: merged */
    tr.rsv[1][1] = 0x2000;
    tr.nrsv = 2;
    tr.rm[0][0] = 0x60000000;
    tr.rm[0][1] = MiB;
    tr.rm[1][0] = 0x70000000; /* a second entry is reserved too */
    tr.rm[1][1] = 0x10;
    tr.nrm = 2;
    CHECK_EQ(scan(&tr, NULL), 0);
    CHECK_EQ(test_msg_count, 0);
    CHECK_EQ(layout.ram.nr, 1);
    CHECK_EQ(layout.ram.r[0].start, GiB);
    CHECK_EQ(layout.ram.r[0].end, 3 * GiB);
    CHECK(reserved(IMAGE_START, IMAGE_END));
    CHECK(reserved(0x48000000, 0x48003000));
    CHECK(reserved(0x60000000, 0x60100000));
    CHECK(reserved(0x70000000, 0x70001000)); /* whole pages */
    CHECK(!reserved(0x50000000, 0x50001000));
    CHECK(rangeset_check(&layout.reserved, true));
}

TEST(ram_clipped_to_the_window_and_pages)
{
    one_bank();
    tr.bank[0][0] = 0;
    tr.bank[0][1] = 2 * GiB + 0x123;
    tr.bank[1][0] = 300 * GiB;
    tr.bank[1][1] = GiB;
    tr.nbanks = 2;
    CHECK_EQ(scan(&tr, NULL), 0);
    CHECK_EQ(layout.ram.nr, 1);
    CHECK_EQ(layout.ram.r[0].start, GiB);
    CHECK_EQ(layout.ram.r[0].end, 2 * GiB);
    CHECK(test_msgs_said("mm: /memory@40000000: property 'reg': RAM 0x0-0x80000000 clipped"));
    CHECK(test_msgs_said("RAM 0x4b00000000-0x4b40000000 not used"));
}

TEST(banks_merge_and_the_ninth_is_reported)
{
    memset(&tr, 0, sizeof(tr));
    for (int i = 0; i < 10; i++) {
        tr.bank[i][0] = GiB + (uint64_t)i * 2 * GiB;
        tr.bank[i][1] = GiB;
    }
    tr.bank[1][0] = 2 * GiB; /* touches bank 0: one bank */
    tr.nbanks = 10;
    CHECK_EQ(scan(&tr, NULL), 0);
    CHECK_EQ(layout.ram.nr, 8);
    CHECK(test_msgs_said("more than 8 RAM banks"));
    CHECK_EQ(layout.ram.r[0].end, 3 * GiB);
}

TEST(bad_root_cells_refuse)
{
    static const struct {
        int ac, sc;
        const char *needle;
    } cases[] = {
        {3, 2, "mm: /: property '#address-cells' = 3 not supported (1 or 2)"},
        {2, 3, "mm: /: property '#size-cells' = 3 not supported (1 or 2)"},
        {-1, 1, "mm: /: property '#address-cells' must be one cell, has 3 bytes"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        one_bank();
        tr.root_ac = cases[i].ac;
        tr.root_sc = cases[i].sc;
        CHECK_EQ(scan(&tr, NULL), -1);
        CHECK(test_msgs_said(cases[i].needle));
        CHECK(test_msgs_said("no RAM bank can be read"));
    }
}

TEST(size_cells_zero_is_refused)
{
    /* #size-cells = 0 has to be written by hand: build() treats 0 as absent. */
    void *fdt = calloc(1, 4096);
    fdt_create(fdt, 4096);
    fdt_finish_reservemap(fdt);
    fdt_begin_node(fdt, "");
    fdt_property_cell(fdt, "#address-cells", 2);
    fdt_property_cell(fdt, "#size-cells", 0);
    fdt_begin_node(fdt, "memory@40000000");
    fdt_property_string(fdt, "device_type", "memory");
    fdt_property_u64(fdt, "reg", GiB);
    fdt_end_node(fdt);
    fdt_end_node(fdt);
    fdt_finish(fdt);
    test_msgs_clear();
    CHECK_EQ(mm_layout_scan(&layout, fdt, image, window, test_msgs_collect), -1);
    CHECK(test_msgs_said("property '#size-cells' = 0 not supported"));
    free(fdt);
}

TEST(no_ram_refuses)
{
    memset(&tr, 0, sizeof(tr));
    CHECK_EQ(scan(&tr, NULL), -1);
    CHECK(test_msgs_said("no usable RAM"));
    one_bank();
    tr.bank[0][0] = 0;
    tr.bank[0][1] = GiB; /* all below the window */
    CHECK_EQ(scan(&tr, NULL), -1);
    CHECK(test_msgs_said("no usable RAM"));
}

TEST(partial_reg_entry_reported)
{
    one_bank();
    tr.bank_extra_bytes = 4;
    CHECK_EQ(scan(&tr, NULL), 0);
    CHECK_EQ(layout.ram.nr, 1);
    CHECK(test_msgs_said("/memory@40000000: property 'reg' has 20 bytes, not a multiple of 16"));
}

TEST(too_many_separate_reservations_refuse)
{
    one_bank();
    for (int i = 0; i < 1100; i++) {
        tr.rsv[i][0] = 2 * GiB + (uint64_t)i * 0x10000;
        tr.rsv[i][1] = 0x1000;
    }
    tr.nrsv = 1100;
    CHECK_EQ(scan(&tr, NULL), -1);
    /* Image and tree take two slots: the 1023rd entry finds none. */
    CHECK(test_msgs_said("mm: /memreserve/ entry 1022: 0x83fe0000-0x83fe1000"));
    CHECK(test_msgs_said("more than 1024 separate reserved ranges"));
    /* The same count adjacent is one range. */
    for (int i = 0; i < 1100; i++)
        tr.rsv[i][0] = 2 * GiB + (uint64_t)i * 0x1000;
    CHECK_EQ(scan(&tr, NULL), 0);
    CHECK(reserved(2 * GiB, 2 * GiB + 1100 * 0x1000));
}

TEST(reserved_memory_cells)
{
    one_bank();
    tr.rm[0][0] = 0x60000000;
    tr.rm[0][1] = MiB;
    tr.nrm = 1;
    tr.rm_ac = 1;
    tr.rm_sc = 1;
    CHECK_EQ(scan(&tr, NULL), 0);
    CHECK(reserved(0x60000000, 0x60100000));
    tr.rm_ac = 3;
    CHECK_EQ(scan(&tr, NULL), -1);
    CHECK(test_msgs_said("/reserved-memory: property '#address-cells' = 3 not supported"));
    CHECK(test_msgs_said("cannot tell which memory the firmware reserved"));
}

TEST(reservation_wrapping_the_address_space)
{
    one_bank();
    tr.rsv[0][0] = UINT64_MAX - 0x1000;
    tr.rsv[0][1] = 0x10000;
    tr.nrsv = 1;
    CHECK_EQ(scan(&tr, NULL), 0);
    CHECK(reserved(UINT64_MAX - 0x1000, UINT64_MAX));
    CHECK(!reserved(GiB + 0x10000000, GiB + 0x10001000));
}

TEST(boot_modules)
{
    void *fdt;
    struct range c;

    one_bank();
    REQUIRE(scan(&tr, &fdt) == 0);
    uint64_t dtb = (uintptr_t)fdt;
    CHECK_EQ(mm_layout_add_module(&layout, 0x50000000, 0x7000, NULL), MM_MODULE_OK);
    CHECK_EQ(mm_layout_add_module(&layout, 0x50000000, 0x7000, NULL), MM_MODULE_OK); /* shared */
    CHECK_EQ(layout.modules.nr, 1);
    CHECK(reserved(0x50000000, 0x50007000));
    CHECK_EQ(mm_layout_add_module(&layout, 0x50001000, 0x7000, &c), MM_MODULE_OVERLAP);
    CHECK_EQ(c.start, 0x50000000);
    CHECK_EQ(mm_layout_add_module(&layout, 0x50000000, 0x6000, &c), MM_MODULE_OVERLAP);
    CHECK_EQ(mm_layout_add_module(&layout, 0x50007000, 0x1000, NULL), MM_MODULE_OK); /* touching */
    CHECK_EQ(mm_layout_add_module(&layout, 0x10000000, 0x1000, NULL), MM_MODULE_NOT_RAM);
    CHECK_EQ(mm_layout_add_module(&layout, 3 * GiB - 0x1000, 0x2000, NULL), MM_MODULE_NOT_RAM);
    CHECK_EQ(mm_layout_add_module(&layout, UINT64_MAX - 10, 100, NULL), MM_MODULE_NOT_RAM);
    CHECK_EQ(mm_layout_add_module(&layout, IMAGE_START + 0x1000, 0x1000, NULL), MM_MODULE_IMAGE);
    CHECK_EQ(mm_layout_add_module(&layout, 0x50010000, 0, NULL), MM_MODULE_EMPTY);
    /* The tree's own bytes (a host buffer here: make it RAM first). */
    rangeset_add(&layout.ram, dtb & ~0xfffULL, (dtb + 0x10000) & ~0xfffULL);
    CHECK_EQ(mm_layout_add_module(&layout, dtb, 16, NULL), MM_MODULE_DTB);

    CHECK_EQ(mm_layout_check_module(&layout, 0x50000000, 0x7000, NULL), MM_MODULE_OK);
    CHECK_EQ(mm_layout_check_module(&layout, 0x50001000, 0x7000, &c), MM_MODULE_OVERLAP);
    CHECK_EQ(c.start, 0x50000000);
    CHECK_EQ(mm_layout_check_module(&layout, 0x10000000, 0x1000, NULL), MM_MODULE_NOT_RAM);
    CHECK_EQ(mm_layout_check_module(&layout, 0x60000000, 0x1000, NULL), MM_MODULE_TOO_MANY);
    CHECK(strstr(mm_module_str(MM_MODULE_NOT_RAM), "RAM"));
    CHECK(strstr(mm_module_str((enum mm_module)99), "unusable"));
    free(fdt);
}

TEST(too_many_modules)
{
    one_bank();
    REQUIRE(scan(&tr, NULL) == 0);
    int ok = 0;
    for (int i = 0; i < 1100; i++)
        ok += mm_layout_add_module(&layout, 0x50000000 + (uint64_t)i * 0x10000, 0x100, NULL) ==
              MM_MODULE_OK;
    /* The reservations (image, tree) take two of the 1024 merged slots. */
    CHECK_EQ(ok, 1022);
    CHECK_EQ(mm_layout_add_module(&layout, 0x90000000, 0x100, NULL), MM_MODULE_TOO_MANY);
    CHECK_EQ(mm_layout_check_module(&layout, 0x90000000, 0x100, NULL), MM_MODULE_TOO_MANY);
    CHECK(rangeset_check(&layout.modules, false));
    CHECK(rangeset_check(&layout.reserved, true));
}
