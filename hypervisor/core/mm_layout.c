/*
 * The boot memory layout (see core/mm_layout.h): RAM banks and reservations
 * from the device tree, boot modules as the domain builder names them.
 */
#include <lib/report.h>
#include <cloison/fdt_cells.h>
#include <core/mm_layout.h>
#include <lib/printf.h>
#include <libfdt.h>
#include <stdarg.h>
#include <string.h>

#define PATH_LEN 96

static void __attribute__((format(printf, 2, 3)))
say(const struct mm_layout *l, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    report_v(l->report, "mm", NULL, fmt, ap);
    va_end(ap);
}

struct cells {
    uint32_t addr, size;
};

/* A node's own #address-cells or #size-cells: absent = dflt, else one cell
 * of 1 or 2 (addresses and sizes are 64-bit at most here). */
static bool own_cells(const struct mm_layout *l, const void *fdt, int node, const char *path,
                      const char *prop, uint32_t dflt, uint32_t *out)
{
    int len;
    const fdt32_t *p = fdt_getprop(fdt, node, prop, &len);

    *out = dflt;
    if (!p)
        return true;
    if (len != 4) {
        say(l, "%s: property '%s' must be one cell, has %d bytes", path, prop, len);
        return false;
    }
    *out = fdt32_ld(p);
    if (*out < 1 || *out > 2) {
        say(l, "%s: property '%s' = %u not supported (1 or 2)", path, prop, *out);
        return false;
    }
    return true;
}

static bool node_cells(const struct mm_layout *l, const void *fdt, int node, const char *path,
                       struct cells dflt, struct cells *out)
{
    bool ok = own_cells(l, fdt, node, path, "#address-cells", dflt.addr, &out->addr);

    return own_cells(l, fdt, node, path, "#size-cells", dflt.size, &out->size) && ok;
}

typedef bool (*reg_fn)(struct mm_layout *l, const char *path, uint64_t base, uint64_t size);

/* fn(l, path, base, size) for each whole entry of the node's reg (a
 * trailing partial one is reported). False as soon as fn says so. */
static bool for_each_reg(struct mm_layout *l, const void *fdt, int node, const char *path,
                         struct cells c, reg_fn fn)
{
    int len;
    const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);
    int entry = (int)(c.addr + c.size) * 4;

    if (!reg)
        return true;
    if (len % entry)
        say(l, "%s: property 'reg' has %d bytes, not a multiple of %d: the last %d ignored", path,
            len, entry, len % entry);
    for (int off = 0; off + entry <= len; off += entry) {
        const fdt32_t *e = reg + off / 4;
        if (!fn(l, path, fdt_read_cells(e, c.addr), fdt_read_cells(e + c.addr, c.size)))
            return false;
    }
    return true;
}

/* One RAM bank: its whole pages inside the window. Never fails the scan. */
static bool add_bank(struct mm_layout *l, const char *path, uint64_t base, uint64_t size)
{
    uint64_t end = range_end(base, size) & ~(uint64_t)(PAGE_SIZE - 1);
    uint64_t start = base > end ? end : ALIGN_UP(base, PAGE_SIZE);
    uint64_t s = MAX(start, l->window.start), e = MIN(end, l->window.end);

    if (start >= end)
        return true; /* not one whole page */
    if (s != start || e != end)
        say(l, "%s: property 'reg': RAM 0x%llx-0x%llx %s outside 0x%llx-0x%llx (what EL2 maps)",
            path, (unsigned long long)start, (unsigned long long)end,
            s < e ? "clipped: part is" : "not used: it is", (unsigned long long)l->window.start,
            (unsigned long long)l->window.end);
    if (s < e && rangeset_add(&l->ram, s, e) == RANGESET_FULL)
        say(l, "%s: property 'reg': more than %d RAM banks: 0x%llx-0x%llx not used", path,
            MM_MAX_BANKS, (unsigned long long)s, (unsigned long long)e);
    return true;
}

/* Whole pages around [base, base + size); false (reported) when the table
 * cannot hold it: memory someone reserved cannot be handed out. */
static bool add_reserved(struct mm_layout *l, const char *what, uint64_t base, uint64_t size)
{
    uint64_t end = range_end(base, size);
    uint64_t start = base & ~(uint64_t)(PAGE_SIZE - 1);

    end = end > UINT64_MAX - (PAGE_SIZE - 1) ? UINT64_MAX : ALIGN_UP(end, PAGE_SIZE);
    if (!size || rangeset_add(&l->reserved, start, end) != RANGESET_FULL)
        return true;
    say(l, "%s: 0x%llx-0x%llx: more than %d separate reserved ranges", what,
        (unsigned long long)start, (unsigned long long)end, MM_MAX_RESERVED);
    return false;
}

static bool is_memory_node(const void *fdt, int node)
{
    int len;
    const char *t = fdt_getprop(fdt, node, "device_type", &len);

    return t && len == sizeof("memory") && !memcmp(t, "memory", sizeof("memory"));
}

static void node_path(char *buf, const char *parent, const void *fdt, int node)
{
    const char *name = fdt_get_name(fdt, node, NULL);

    snprintf(buf, PATH_LEN, "%s/%s", parent, name ? name : "?");
}

static int find_ram(struct mm_layout *l, const void *fdt, struct cells *root)
{
    char path[PATH_LEN];
    int node;

    if (!node_cells(l, fdt, 0, "/", (struct cells){2, 1}, root)) {
        say(l, "no RAM bank can be read from the memory nodes");
        return -1;
    }
    fdt_for_each_subnode(node, fdt, 0)
    {
        if (!is_memory_node(fdt, node))
            continue;
        node_path(path, "", fdt, node);
        for_each_reg(l, fdt, node, path, *root, add_bank);
    }
    if (!l->ram.nr) {
        say(l,
            "no usable RAM: no device_type = \"memory\" node has a 'reg' inside "
            "0x%llx-0x%llx",
            (unsigned long long)l->window.start, (unsigned long long)l->window.end);
        return -1;
    }
    return 0;
}

/* /memreserve/ entries and /reserved-memory children (their #address-cells
 * and #size-cells must equal the root's: the binding says so, used as the
 * default). */
static int find_firmware_reserved(struct mm_layout *l, const void *fdt, struct cells root)
{
    char path[PATH_LEN];
    int n = fdt_num_mem_rsv(fdt), rm, child;
    struct cells c;

    for (int i = 0; i < n; i++) {
        uint64_t a, s;
        snprintf(path, sizeof(path), "/memreserve/ entry %d", i);
        if (fdt_get_mem_rsv(fdt, i, &a, &s) == 0 && !add_reserved(l, path, a, s))
            return -1;
    }
    rm = fdt_path_offset(fdt, "/reserved-memory");
    if (rm < 0)
        return 0;
    if (!node_cells(l, fdt, rm, "/reserved-memory", root, &c)) {
        say(l, "cannot tell which memory the firmware reserved");
        return -1;
    }
    fdt_for_each_subnode(child, fdt, rm)
    {
        node_path(path, "/reserved-memory", fdt, child);
        if (!for_each_reg(l, fdt, child, path, c, add_reserved))
            return -1;
    }
    return 0;
}

int mm_layout_scan(struct mm_layout *l, const void *fdt, struct range image, struct range window,
                   void (*report)(const char *msg))
{
    struct cells root;

    memset(l, 0, sizeof(*l));
    rangeset_init(&l->ram, l->ram_st, MM_MAX_BANKS);
    rangeset_init(&l->reserved, l->reserved_st, MM_MAX_RESERVED);
    rangeset_init(&l->modules, l->module_st, MM_MAX_MODULES);
    l->report = report;
    l->image = image;
    l->window = window;
    l->dtb = (struct range){(uintptr_t)fdt, range_end((uintptr_t)fdt, fdt_totalsize(fdt))};
    if (find_ram(l, fdt, &root) != 0)
        return -1;
    if (!add_reserved(l, "Cloison's image", image.start, image.end - image.start) ||
        !add_reserved(l, "the device tree", l->dtb.start, l->dtb.end - l->dtb.start))
        return -1;
    return find_firmware_reserved(l, fdt, root);
}

static enum mm_module classify(const struct mm_layout *l, uint64_t start, uint64_t end)
{
    if (!rangeset_covers(&l->ram, start, end))
        return MM_MODULE_NOT_RAM;
    if (start < l->image.end && end > l->image.start)
        return MM_MODULE_IMAGE;
    if (start < l->dtb.end && end > l->dtb.start)
        return MM_MODULE_DTB;
    return MM_MODULE_OK;
}

enum mm_module mm_layout_add_module(struct mm_layout *l, uint64_t start, uint64_t size,
                                    struct range *conflict)
{
    uint64_t end = range_end(start, size);
    enum mm_module m = size ? classify(l, start, end) : MM_MODULE_EMPTY;

    if (m != MM_MODULE_OK)
        return m;
    switch (rangeset_insert(&l->modules, start, end, conflict)) {
    case RANGESET_EXISTS:
        return MM_MODULE_OK; /* shared by another domain */
    case RANGESET_OVERLAP:
        return MM_MODULE_OVERLAP;
    case RANGESET_ADDED:
        /* Inside RAM (classify), so the page-aligned end cannot wrap. */
        if (rangeset_add(&l->reserved, ALIGN_DOWN(start, PAGE_SIZE), ALIGN_UP(end, PAGE_SIZE)) !=
            RANGESET_FULL)
            return MM_MODULE_OK;
        rangeset_remove(&l->modules, start, end); /* exact: never splits */
        return MM_MODULE_TOO_MANY;
    default:
        return MM_MODULE_TOO_MANY;
    }
}

enum mm_module mm_layout_check_module(const struct mm_layout *l, uint64_t start, uint64_t size,
                                      struct range *conflict)
{
    uint64_t end = range_end(start, size);
    enum mm_module m = size ? classify(l, start, end) : MM_MODULE_EMPTY;
    const struct range *other;

    if (m != MM_MODULE_OK)
        return m;
    if (rangeset_find(&l->modules, start, end))
        return MM_MODULE_OK;
    other = rangeset_first_overlap(&l->modules, start, end);
    if (!other)
        return MM_MODULE_TOO_MANY;
    if (conflict)
        *conflict = *other;
    return MM_MODULE_OVERLAP;
}

const char *mm_module_str(enum mm_module m)
{
    static const char *const str[] = {
        [MM_MODULE_OK] = "is reserved",
        [MM_MODULE_EMPTY] = "is empty",
        [MM_MODULE_NOT_RAM] = "is not inside RAM",
        [MM_MODULE_IMAGE] = "overlaps Cloison's image",
        [MM_MODULE_DTB] = "overlaps the boot device tree",
        [MM_MODULE_OVERLAP] = "overlaps another boot module",
        [MM_MODULE_TOO_MANY] = "is one boot module too many for Cloison's tables",
    };

    return (unsigned int)m < ARRAY_SIZE(str) ? str[m] : "is unusable";
}
