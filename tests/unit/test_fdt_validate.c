/*
 * boot/fdt_validate.c: well-formed trees pass (and libfdt can then walk them),
 * each kind of damage is refused with a libfdt error, including the property
 * length that made Debian's libfdt 1.6.1 loop forever (a length that wraps
 * the walker's offset back before the property).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libfdt.h>
#include "harness.h"
#include <boot/fdt_validate.h>

#define SZ 4096
static uint8_t tree[SZ] __attribute__((aligned(8)));

/* / { compatible; chosen { bootargs; module@0 { reg; }; }; } */
static size_t build(void)
{
    memset(tree, 0, sizeof(tree));
    if (fdt_create(tree, SZ) || fdt_add_reservemap_entry(tree, 0x1000, 0x1000) ||
        fdt_finish_reservemap(tree) || fdt_begin_node(tree, "") ||
        fdt_property_string(tree, "compatible", "cloison,test") || fdt_begin_node(tree, "chosen") ||
        fdt_property_string(tree, "bootargs", "hello") || fdt_begin_node(tree, "module@0") ||
        fdt_property_u32(tree, "reg", 0xC0FFEE) || fdt_end_node(tree) || fdt_end_node(tree) ||
        fdt_end_node(tree) || fdt_finish(tree))
        abort();
    return fdt_totalsize(tree);
}

static void put32(size_t off, uint32_t v)
{
    tree[off] = (uint8_t)(v >> 24);
    tree[off + 1] = (uint8_t)(v >> 16);
    tree[off + 2] = (uint8_t)(v >> 8);
    tree[off + 3] = (uint8_t)v;
}

/* Offset in the tree of the first big-endian word equal to v. */
static size_t find32(uint32_t v)
{
    for (size_t off = 0; off + 4 <= SZ; off += 4)
        if (((uint32_t)tree[off] << 24 | (uint32_t)tree[off + 1] << 16 |
             (uint32_t)tree[off + 2] << 8 | tree[off + 3]) == v)
            return off;
    abort();
}

static size_t st(void)
{
    return fdt_off_dt_struct(tree);
}

TEST(well_formed_tree_passes)
{
    size_t n = build();
    CHECK_EQ(fdt_validate(tree, n), 0);
    CHECK(fdt_path_offset(tree, "/chosen/module@0") > 0);
    CHECK_EQ(fdt_validate(tree, n - 1), -FDT_ERR_TRUNCATED); /* buffer shorter than totalsize */
    CHECK_EQ(fdt_validate(tree, 8), -FDT_ERR_TRUNCATED);
}

TEST(property_lengths_that_leave_or_wrap_the_block)
{
    size_t n = build();
    size_t val = find32(0xC0FFEE); /* reg's value; its length is 8 bytes before */
    put32(val - 8, 0xFFFFFFF4);    /* the fuzzer's hang: offset wraps backwards */
    CHECK_EQ(fdt_validate(tree, n), -FDT_ERR_TRUNCATED);
    put32(val - 8, fdt_size_dt_struct(tree)); /* just past the block */
    CHECK_EQ(fdt_validate(tree, n), -FDT_ERR_TRUNCATED);
    put32(val - 8, 4);
    CHECK_EQ(fdt_validate(tree, n), 0);
}

TEST(name_offsets_and_names)
{
    size_t n = build();
    size_t val = find32(0xC0FFEE);
    put32(val - 4, fdt_size_dt_strings(tree)); /* name outside the strings block */
    CHECK_EQ(fdt_validate(tree, n), -FDT_ERR_BADSTRUCTURE);
    n = build();
    /* The last string loses its NUL: the name runs off the block. */
    tree[fdt_off_dt_strings(tree) + fdt_size_dt_strings(tree) - 1] = 'x';
    CHECK_EQ(fdt_validate(tree, n), -FDT_ERR_BADSTRUCTURE);
    n = build();
    /* The node name "chosen" with no NUL from there to the block's end. */
    size_t name = st();
    while (memcmp(tree + name, "chosen", 7) != 0)
        name++;
    memset(tree + name, 'x', st() + fdt_size_dt_struct(tree) - name);
    CHECK_EQ(fdt_validate(tree, n), -FDT_ERR_TRUNCATED);
}

TEST(nesting_and_tokens)
{
    size_t n = build();
    size_t end = st() + fdt_size_dt_struct(tree) - 4; /* FDT_END */
    put32(end - 4, FDT_NOP);                          /* root never closed */
    CHECK_EQ(fdt_validate(tree, n), -FDT_ERR_BADSTRUCTURE);
    n = build();
    put32(end, FDT_END_NODE); /* one close too many, then no FDT_END */
    CHECK(fdt_validate(tree, n) < 0);
    n = build();
    put32(end, 0x77); /* unknown token */
    CHECK_EQ(fdt_validate(tree, n), -FDT_ERR_BADSTRUCTURE);
    n = build();
    put32(st(), FDT_PROP); /* a property before any node */
    CHECK_EQ(fdt_validate(tree, n), -FDT_ERR_BADSTRUCTURE);
}

TEST(nodes_nested_too_deep)
{
    memset(tree, 0, sizeof(tree));
    CHECK_EQ(fdt_create(tree, SZ), 0);
    CHECK_EQ(fdt_finish_reservemap(tree), 0);
    CHECK_EQ(fdt_begin_node(tree, ""), 0);
    for (int i = 0; i < FDT_VALIDATE_MAX_DEPTH; i++)
        CHECK_EQ(fdt_begin_node(tree, "n"), 0);
    for (int i = 0; i <= FDT_VALIDATE_MAX_DEPTH; i++)
        CHECK_EQ(fdt_end_node(tree), 0);
    CHECK_EQ(fdt_finish(tree), 0);
    CHECK_EQ(fdt_validate(tree, fdt_totalsize(tree)), -FDT_ERR_BADSTRUCTURE);
}

TEST(reservation_map_and_header)
{
    size_t n = build();
    size_t rsv = fdt_off_mem_rsvmap(tree);
    memset(tree + rsv + 16, 0xAB, n - rsv - 16); /* no terminating entry anywhere */
    CHECK(fdt_validate(tree, n) < 0);
    n = build();
    put32(20, 2); /* version 2 (with last_comp_version 16 the header check says so) */
    CHECK(fdt_validate(tree, n) < 0);
    n = build();
    put32(offsetof(struct fdt_header, size_dt_struct), (uint32_t)n); /* block past the end */
    CHECK_EQ(fdt_validate(tree, n), -FDT_ERR_TRUNCATED);
}

/* Blocks sharing bytes: the structure over the reservation map, the strings
 * inside the structure (libfdt's own header check lets both through), the
 * structure over the header. */
TEST(overlapping_blocks)
{
    size_t n = build();
    put32(offsetof(struct fdt_header, off_dt_struct), (uint32_t)fdt_off_mem_rsvmap(tree) + 8);
    CHECK_EQ(fdt_validate(tree, n), -FDT_ERR_BADLAYOUT);
    n = build();
    put32(offsetof(struct fdt_header, off_dt_strings), (uint32_t)(st() + 8));
    put32(offsetof(struct fdt_header, size_dt_strings), 8);
    CHECK_EQ(fdt_validate(tree, n), -FDT_ERR_BADLAYOUT);
    n = build();
    put32(offsetof(struct fdt_header, off_dt_struct), 8); /* libfdt's check says so first */
    CHECK(fdt_validate(tree, n) < 0);
}

TEST(every_unit_test_tree_passes)
{
    DIR *dir = opendir(UNIT_DATA_DIR);
    REQUIRE(dir != NULL);
    int seen = 0;
    struct dirent *e;
    static uint8_t buf[2 << 20] __attribute__((aligned(8))); /* QEMU pads its trees to 1 MiB */
    while ((e = readdir(dir)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len < 4 || strcmp(e->d_name + len - 4, ".dtb"))
            continue;
        char path[512];
        snprintf(path, sizeof(path), "%s/%s", UNIT_DATA_DIR, e->d_name);
        FILE *f = fopen(path, "rb");
        REQUIRE(f != NULL);
        size_t n = fread(buf, 1, sizeof(buf), f);
        REQUIRE(feof(f)); /* read whole: a cut tree is rightly refused */
        fclose(f);
        if (fdt_validate(buf, n) != 0)
            HARNESS_FAIL("%s refused: %d", e->d_name, fdt_validate(buf, n));
        seen++;
    }
    closedir(dir);
    CHECK(seen >= 2);
}
