/*
 * core/mm_layout.c: RAM banks and reservations read from small device trees
 * (written here with libfdt's sequential API), the refusals each bad tree
 * gets (naming node and property), the boot-module rules, and the tables
 * sized for trees naming thousands of modules (placed in the test's
 * pretend RAM, backed by a host buffer).
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
    /* dom0less domains, one kernel module each ([start, size]), written in
     * the order i * DOM_ORDER_STEP mod ndoms (not sorted by address). */
    const uint64_t (*dom)[2];
    int ndoms;
};

#define DOM_ORDER_STEP 7919 /* a prime: a permutation of any count it does not divide */

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

/* /chosen with a "xen,domain" node per module, each with its kernel. */
static void add_domains(void *fdt, const struct tree *t)
{
    char name[32];

    fdt_begin_node(fdt, "chosen");
    for (int k = 0; k < t->ndoms; k++) {
        int i = (int)(((long long)k * DOM_ORDER_STEP) % t->ndoms);
        fdt32_t reg[4];
        int n = 0;
        snprintf(name, sizeof(name), "domU%d", i);
        fdt_begin_node(fdt, name);
        fdt_property_string(fdt, "compatible", "xen,domain");
        fdt_property_cell(fdt, "#address-cells", 2);
        fdt_property_cell(fdt, "#size-cells", 2);
        snprintf(name, sizeof(name), "module@%llx", (unsigned long long)t->dom[i][0]);
        fdt_begin_node(fdt, name);
        fdt_property(fdt, "compatible", "multiboot,kernel\0multiboot,module", 34);
        put_cells(reg, &n, t->dom[i][0], 2);
        put_cells(reg, &n, t->dom[i][1], 2);
        fdt_property(fdt, "reg", reg, sizeof(reg));
        fdt_end_node(fdt);
        fdt_end_node(fdt);
    }
    fdt_end_node(fdt);
}

static void *build(const struct tree *t)
{
    size_t size = 64 * 1024 + (size_t)t->nrsv * 16 + (size_t)t->ndoms * 256;
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
    if (t->ndoms)
        add_domains(fdt, t);
    fdt_end_node(fdt);
    fdt_finish(fdt);
    return fdt;
}

/* The pretend RAM the larger tables are placed in: a host buffer. */
static void *ram_buf;
static int ram_at_calls;

static void *test_ram_at(uint64_t pa, uint64_t size)
{
    (void)pa;
    free(ram_buf);
    ram_buf = calloc(1, size);
    ram_at_calls++;
    return ram_buf;
}

static int scan(const struct tree *t, void **fdtp)
{
    void *fdt = build(t);
    test_msgs_clear();
    ram_at_calls = 0;
    int rc = mm_layout_scan(&layout, fdt, image, window, test_ram_at, test_msgs_collect);
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
    CHECK_EQ(mm_layout_scan(&layout, fdt, image, window, test_ram_at, test_msgs_collect), -1);
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

static bool clear_of_tables(uint64_t start, uint64_t end)
{
    return end <= layout.tables.start || start >= layout.tables.end;
}

TEST(many_separate_reservations_get_tables_in_ram)
{
    one_bank();
    for (int i = 0; i < 1100; i++) {
        tr.rsv[i][0] = 2 * GiB + (uint64_t)i * 0x10000;
        tr.rsv[i][1] = 0x1000;
    }
    tr.nrsv = 1100;
    CHECK_EQ(scan(&tr, NULL), 0);
    CHECK_EQ(test_msg_count, 0);
    CHECK_EQ(ram_at_calls, 1);
    CHECK(layout.reserved.cap >= 1100 + 3);
    CHECK_EQ(layout.reserved.nr, 1100 + 3); /* image, tree, the tables */
    CHECK(reserved(layout.tables.start, layout.tables.end));
    for (int i = 0; i < 1100; i++) {
        CHECK(reserved(tr.rsv[i][0], tr.rsv[i][0] + 0x1000));
        CHECK(clear_of_tables(tr.rsv[i][0], tr.rsv[i][0] + tr.rsv[i][1]));
    }
    CHECK(clear_of_tables(IMAGE_START, IMAGE_END));
    CHECK(rangeset_check(&layout.reserved, true));
    /* The same count adjacent is one range (the tables are still sized for
     * 1100: the count is taken before merging). */
    for (int i = 0; i < 1100; i++)
        tr.rsv[i][0] = 2 * GiB + (uint64_t)i * 0x1000;
    CHECK_EQ(scan(&tr, NULL), 0);
    CHECK(reserved(2 * GiB, 2 * GiB + 1100 * 0x1000));
    CHECK(clear_of_tables(2 * GiB, 2 * GiB + 1100 * 0x1000));
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

TEST(modules_the_tree_does_not_name_find_no_room)
{
    one_bank();
    REQUIRE(scan(&tr, NULL) == 0);
    CHECK_EQ(ram_at_calls, 0); /* the static tables suffice: no domain */
    int ok = 0;
    for (int i = 0; i < 1100; i++)
        ok += mm_layout_add_module(&layout, 0x50000000 + (uint64_t)i * 0x10000, 0x100, NULL) ==
              MM_MODULE_OK;
    /* The tables hold what the tree names (dom0's two here) and the static
     * 64; the reservations (image, tree) take two of the 64 merged slots. */
    CHECK_EQ(ok, MM_STATIC_RANGES - 2);
    CHECK_EQ(mm_layout_add_module(&layout, 0x90000000, 0x100, NULL), MM_MODULE_TOO_MANY);
    CHECK_EQ(mm_layout_check_module(&layout, 0x90000000, 0x100, NULL), MM_MODULE_TOO_MANY);
    CHECK(rangeset_check(&layout.modules, false));
    CHECK(rangeset_check(&layout.reserved, true));
}

#define NDOMS 3000
static uint64_t doms[NDOMS][2];

/* NDOMS modules of 64 KiB packed edge to edge from the top of the bank
 * down (the highest stretch is taken first: the search must get below all
 * of them), a /memreserve/ just below, skipping `gap` modules at index
 * `hole` (none when gap is 0). */
static void packed_modules(uint64_t bank_end, int hole, int gap)
{
    one_bank();
    tr.bank[0][1] = bank_end - GiB;
    for (int i = 0; i < NDOMS; i++) {
        int slot = i < hole || !gap ? i : i + gap;
        doms[i][0] = bank_end - (uint64_t)(slot + 1) * 0x10000;
        doms[i][1] = 0x10000;
    }
    tr.dom = doms;
    tr.ndoms = NDOMS;
    tr.rsv[0][0] = doms[NDOMS - 1][0] - 0x8000;
    tr.rsv[0][1] = 0x8000;
    tr.nrsv = 1;
}

TEST(three_thousand_distinct_modules)
{
    void *fdt;
    struct range c;

    packed_modules(3 * GiB, 0, 0);
    REQUIRE(scan(&tr, &fdt) == 0);
    CHECK_EQ(test_msg_count, 0);
    CHECK_EQ(ram_at_calls, 1);
    CHECK(layout.modules.cap >= NDOMS);
    /* Placed just below the modules and the reservation: the highest room. */
    CHECK_EQ(layout.tables.end, tr.rsv[0][0]);
    for (int i = 0; i < NDOMS; i++)
        CHECK_EQ(mm_layout_add_module(&layout, doms[i][0], doms[i][1], NULL), MM_MODULE_OK);
    CHECK_EQ(layout.modules.nr, NDOMS);
    for (int i = 0; i < NDOMS; i++) {
        CHECK_EQ(mm_layout_check_module(&layout, doms[i][0], doms[i][1], NULL), MM_MODULE_OK);
        CHECK(clear_of_tables(doms[i][0], doms[i][0] + doms[i][1]));
    }
    CHECK(clear_of_tables(tr.rsv[0][0], tr.rsv[0][0] + tr.rsv[0][1]));
    CHECK(clear_of_tables(IMAGE_START, IMAGE_END));
    CHECK(clear_of_tables(layout.dtb.start, layout.dtb.end));
    CHECK(reserved(layout.tables.start, layout.tables.end));
    CHECK(reserved(doms[NDOMS - 1][0], 3 * GiB));
    /* Overlaps among them are still refused, naming the other. */
    CHECK_EQ(mm_layout_add_module(&layout, doms[7][0] + 0x1000, 0x10000, &c), MM_MODULE_OVERLAP);
    CHECK_EQ(c.start, doms[7][0]); /* the lowest it overlaps */
    /* A module the walk could not have seen, over the tables, is refused. */
    CHECK_EQ(mm_layout_add_module(&layout, layout.tables.start, 0x1000, NULL), MM_MODULE_TABLES);
    CHECK(strstr(mm_module_str(MM_MODULE_TABLES), "tables"));
    CHECK(rangeset_check(&layout.modules, false));
    CHECK(rangeset_check(&layout.reserved, true));
    free(fdt);
}

TEST(tables_found_in_a_hole_among_the_modules)
{
    /* The bank holds only the modules and 4 KiB gaps between them but for
     * one hole of two modules' room: the tables (96 KiB) go there. */
    packed_modules(0x50000000 + (NDOMS + 2) * 0x10000ULL, 1500, 2);
    tr.bank[0][0] = 0x50000000;
    tr.bank[0][1] = (NDOMS + 2) * 0x10000ULL;
    for (int i = 0; i < NDOMS; i++)
        doms[i][1] = 0xf000;
    tr.nrsv = 0;
    REQUIRE(scan(&tr, NULL) == 0);
    CHECK_EQ(layout.tables.end, doms[1499][0]);
    CHECK(layout.tables.start >= doms[1500][0] + doms[1500][1]);
    for (int i = 0; i < NDOMS; i++)
        CHECK_EQ(mm_layout_add_module(&layout, doms[i][0], doms[i][1], NULL), MM_MODULE_OK);
}

TEST(no_room_for_the_tables_refuses)
{
    /* As above without the hole: 4 KiB gaps only. */
    packed_modules(0x50000000 + NDOMS * 0x10000ULL, 0, 0);
    tr.bank[0][0] = 0x50000000;
    tr.bank[0][1] = NDOMS * 0x10000ULL;
    for (int i = 0; i < NDOMS; i++)
        doms[i][1] = 0xf000;
    tr.nrsv = 0;
    CHECK_EQ(scan(&tr, NULL), -1);
    CHECK_EQ(ram_at_calls, 0);
    CHECK(test_msgs_said("mm: the device tree names up to 3002 boot modules and 3013 reserved "
                         "ranges: their tables need 96 KiB of RAM in one piece"));
    /* And a bank too small for them at all. */
    packed_modules(3 * GiB, 0, 0);
    tr.bank[0][0] = 2 * GiB;
    tr.bank[0][1] = 0x10000;
    CHECK_EQ(scan(&tr, NULL), -1);
    CHECK(test_msgs_said("no RAM bank has that"));
}
