/*
 * boot/fdt_validate.h: one bounded pass over a device tree's blocks. Every
 * offset is computed in 64 bits and compared with its block's size before it
 * is used, so no input can make the walk go backwards, wrap or leave the
 * buffer; each step advances by at least one tag, so it ends.
 */
#include <stdint.h>
#include <string.h>
#include <libfdt.h>
#include <boot/fdt_validate.h>

static uint32_t be32(const void *base, uint64_t off)
{
    const uint8_t *p = (const uint8_t *)base + off;
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint64_t align4(uint64_t x)
{
    return (x + 3) & ~3ULL;
}

/* A NUL within [off, end) of base? */
static bool terminated(const uint8_t *base, uint64_t off, uint64_t end)
{
    return off < end && memchr(base + off, '\0', end - off) != NULL;
}

/* *end receives the offset just past the terminating entry. */
static int check_rsvmap(const uint8_t *fdt, uint64_t off, uint64_t limit, uint64_t *end)
{
    if (off % 8)
        return -FDT_ERR_BADLAYOUT;
    for (;; off += 16) {
        if (off + 16 > limit)
            return -FDT_ERR_TRUNCATED;
        bool zero = true;
        for (int i = 0; i < 16; i++)
            zero &= fdt[off + i] == 0;
        if (zero) {
            *end = off + 16;
            return 0;
        }
    }
}

static bool overlap(uint64_t a, uint64_t a_end, uint64_t b, uint64_t b_end)
{
    return a < a_end && b < b_end && a < b_end && b < a_end;
}

/* Header, reservation map, structure and strings share no byte: libfdt
 * moves the blocks apart when it opens a tree for editing (dom0's), and
 * blocks that overlap come out garbled (an unterminated reservation map
 * handed to dom0, found by tests/fuzz/fuzz_dom0_dt). */
static bool blocks_apart(uint64_t rsv, uint64_t rsv_end, uint64_t st, uint64_t st_end,
                         uint64_t strs, uint64_t strs_end)
{
    const uint64_t hdr = sizeof(struct fdt_header);
    return !overlap(0, hdr, rsv, rsv_end) && !overlap(0, hdr, st, st_end) &&
           !overlap(0, hdr, strs, strs_end) && !overlap(rsv, rsv_end, st, st_end) &&
           !overlap(rsv, rsv_end, strs, strs_end) && !overlap(st, st_end, strs, strs_end);
}

static int check_struct(const uint8_t *st, uint64_t size, const uint8_t *strs, uint64_t strs_size)
{
    uint64_t off = 0;
    int depth = 0;
    bool root_seen = false;
    for (;;) {
        if (off + 4 > size)
            return -FDT_ERR_TRUNCATED;
        uint32_t tag = be32(st, off);
        off += 4;
        switch (tag) {
        case FDT_BEGIN_NODE:
            if (depth == 0 && root_seen)
                return -FDT_ERR_BADSTRUCTURE; /* a second root */
            if (++depth > FDT_VALIDATE_MAX_DEPTH)
                return -FDT_ERR_BADSTRUCTURE;
            root_seen = true;
            if (!terminated(st, off, size))
                return -FDT_ERR_TRUNCATED;
            off = align4(off + strlen((const char *)st + off) + 1);
            break;
        case FDT_END_NODE:
            if (depth-- == 0)
                return -FDT_ERR_BADSTRUCTURE;
            break;
        case FDT_PROP: {
            if (depth == 0 || off + 8 > size)
                return depth == 0 ? -FDT_ERR_BADSTRUCTURE : -FDT_ERR_TRUNCATED;
            uint64_t len = be32(st, off), nameoff = be32(st, off + 4);
            if (!terminated(strs, nameoff, strs_size))
                return -FDT_ERR_BADSTRUCTURE;
            off += 8;
            if (len > size - off)
                return -FDT_ERR_TRUNCATED;
            off = align4(off + len);
            break;
        }
        case FDT_NOP:
            break;
        case FDT_END:
            return depth == 0 && root_seen ? 0 : -FDT_ERR_BADSTRUCTURE;
        default:
            return -FDT_ERR_BADSTRUCTURE;
        }
    }
}

int fdt_validate(const void *fdt, size_t bufsize)
{
    const uint8_t *b = fdt;
    if (bufsize < sizeof(struct fdt_header))
        return -FDT_ERR_TRUNCATED;
    int rc = fdt_check_header(fdt);
    if (rc)
        return rc;
    uint64_t total = fdt_totalsize(fdt);
    if (total > bufsize || total < sizeof(struct fdt_header))
        return -FDT_ERR_TRUNCATED;
    if (fdt_version(fdt) < 16)
        return -FDT_ERR_BADVERSION; /* older trees pad properties differently */
    uint64_t st = fdt_off_dt_struct(fdt), st_size = fdt_size_dt_struct(fdt);
    uint64_t strs = fdt_off_dt_strings(fdt), strs_size = fdt_size_dt_strings(fdt);
    uint64_t rsv = fdt_off_mem_rsvmap(fdt);
    if (st % 4 || st + st_size > total || strs + strs_size > total || rsv > total)
        return -FDT_ERR_TRUNCATED;
    uint64_t rsv_end;
    if ((rc = check_rsvmap(b, rsv, total, &rsv_end)) != 0)
        return rc;
    if (!blocks_apart(rsv, rsv_end, st, st + st_size, strs, strs + strs_size))
        return -FDT_ERR_BADLAYOUT;
    return check_struct(b + st, st_size, b + strs, strs_size);
}
