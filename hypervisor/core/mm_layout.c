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
    say(l, "%s: 0x%llx-0x%llx: more than %u separate reserved ranges", what,
        (unsigned long long)start, (unsigned long long)end, l->reserved.cap);
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

/*
 * How large the tables must be, read from the tree before anything is
 * reserved: an upper bound, never an exact count (a domain the parsers
 * later refuse still counts), so no table can fill up.
 */

/* Modules: a kernel and a ramdisk at most per /chosen "xen,domain" node
 * (boot/boot_modules.c reserves no more), and dom0's two. */
static uint64_t count_modules(const void *fdt)
{
    int chosen = fdt_path_offset(fdt, "/chosen"), node, mod;
    uint64_t n = 2;

    if (chosen < 0)
        return n;
    fdt_for_each_subnode(node, fdt, chosen)
    {
        unsigned int k = 0;
        if (fdt_node_check_compatible(fdt, node, "xen,domain"))
            continue;
        fdt_for_each_subnode(mod, fdt, node)
        {
            if (++k == 2)
                break;
        }
        n += k;
    }
    return n;
}

/* /memreserve/ entries and /reserved-memory reg entries (8 bytes, one cell
 * each, is the smallest an entry can be). */
static uint64_t count_firmware_reserved(const void *fdt)
{
    int n = fdt_num_mem_rsv(fdt), rm = fdt_path_offset(fdt, "/reserved-memory"), child, len;
    uint64_t total = n > 0 ? (uint64_t)n : 0;

    if (rm < 0)
        return total;
    fdt_for_each_subnode(child, fdt, rm)
    {
        if (fdt_getprop(fdt, child, "reg", &len))
            total += (uint64_t)len / 8;
    }
    return total;
}

/*
 * Where the larger tables may go: RAM clear of everything the layout will
 * hold, found by walking the tree again (nothing can be stored yet). The
 * walk is quiet: the scan and the domain parsers report bad nodes.
 */

typedef void (*span_fn)(void *ctx, uint64_t start, uint64_t end);

/* A node's #address-cells or #size-cells as the parsers read it: its own,
 * else the inherited one; 0 when unusable (the parsers refuse the node). */
static uint32_t quiet_cells(const void *fdt, int node, const char *prop, uint32_t inherited)
{
    int len;
    const fdt32_t *p = fdt_getprop(fdt, node, prop, &len);
    uint32_t v;

    if (!p)
        return inherited;
    if (len != 4)
        return 0;
    v = fdt32_ld(p);
    return v >= 1 && v <= 2 ? v : 0;
}

static struct cells quiet_node_cells(const void *fdt, int node, struct cells inherited)
{
    return (struct cells){quiet_cells(fdt, node, "#address-cells", inherited.addr),
                          quiet_cells(fdt, node, "#size-cells", inherited.size)};
}

/* fn for every whole, non-empty entry of the node's reg. */
static void quiet_regs(const void *fdt, int node, struct cells c, span_fn fn, void *ctx)
{
    int len;
    const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);
    int entry = (int)(c.addr + c.size) * 4;

    if (!reg || !c.addr || !c.size)
        return;
    for (int off = 0; off + entry <= len; off += entry) {
        const fdt32_t *e = reg + off / 4;
        uint64_t base = fdt_read_cells(e, c.addr), size = fdt_read_cells(e + c.addr, c.size);
        if (size)
            fn(ctx, base, range_end(base, size));
    }
}

/* Every reg a boot module could have, with the cells boot/dom0less.c reads
 * it with: each /chosen child's (dom0's modules are among them) and each
 * child's of a "xen,domain" node. More than boot_modules_reserve() can
 * ever reserve, never less. */
static void for_each_module_reg(const void *fdt, struct cells root, span_fn fn, void *ctx)
{
    int chosen = fdt_path_offset(fdt, "/chosen"), node, mod;
    struct cells cc, dc;

    if (chosen < 0)
        return;
    cc = quiet_node_cells(fdt, chosen, root);
    fdt_for_each_subnode(node, fdt, chosen)
    {
        if (fdt_node_check_compatible(fdt, node, "xen,domain")) {
            quiet_regs(fdt, node, cc, fn, ctx);
            continue;
        }
        dc = quiet_node_cells(fdt, node, cc);
        fdt_for_each_subnode(mod, fdt, node)
        {
            quiet_regs(fdt, mod, dc, fn, ctx);
        }
    }
}

/* Everything the tables must stay clear of: image, tree, the firmware's
 * reservations and every module. */
static void for_each_obstacle(const struct mm_layout *l, const void *fdt, struct cells root,
                              span_fn fn, void *ctx)
{
    int n = fdt_num_mem_rsv(fdt), rm = fdt_path_offset(fdt, "/reserved-memory"), child;

    fn(ctx, l->image.start, l->image.end);
    fn(ctx, l->dtb.start, l->dtb.end);
    for (int i = 0; i < n; i++) {
        uint64_t a, sz;
        if (fdt_get_mem_rsv(fdt, i, &a, &sz) == 0 && sz)
            fn(ctx, a, range_end(a, sz));
    }
    if (rm >= 0) {
        struct cells c = quiet_node_cells(fdt, rm, root);
        fdt_for_each_subnode(child, fdt, rm)
        {
            quiet_regs(fdt, child, c, fn, ctx);
        }
    }
    for_each_module_reg(fdt, root, fn, ctx);
}

/*
 * The search, top down in one RAM bank, with a fixed buffer (static_st:
 * unused until the tables are chosen): one walk keeps the obstacles below
 * hi with the highest ends, in a min-heap by end; every other obstacle
 * ends at or below floor. Sorted, they describe [floor, hi) exactly: the
 * highest free stretch there is found, or all of them lie above a new hi
 * and the next walk goes on below. O(obstacles / buffer) walks per bank,
 * each O(obstacles x log buffer), in place of a walk per candidate.
 */
struct search {
    struct range *heap;
    unsigned int n, cap;
    uint64_t lo, hi; /* what is left of the bank: [lo, hi) */
    uint64_t floor;  /* no obstacle not kept ends above it */
};

static void swap_ranges(struct range *a, struct range *b)
{
    struct range t = *a;
    *a = *b;
    *b = t;
}

static void sift_down(struct range *h, unsigned int n, unsigned int i)
{
    for (;;) {
        unsigned int m = i, c = 2 * i + 1;
        if (c < n && h[c].end < h[m].end)
            m = c;
        if (c + 1 < n && h[c + 1].end < h[m].end)
            m = c + 1;
        if (m == i)
            return;
        swap_ranges(&h[i], &h[m]);
        i = m;
    }
}

static void sift_up(struct range *h, unsigned int i)
{
    while (i && h[(i - 1) / 2].end > h[i].end) {
        swap_ranges(&h[i], &h[(i - 1) / 2]);
        i = (i - 1) / 2;
    }
}

/* One obstacle seen by the walk: kept if it reaches into [lo, hi) and is
 * among the cap highest ends so far. */
static void keep_obstacle(void *ctx, uint64_t start, uint64_t end)
{
    struct search *s = ctx;

    if (start >= s->hi || end <= s->lo)
        return;
    if (s->n < s->cap) {
        s->heap[s->n] = (struct range){start, end};
        sift_up(s->heap, s->n++);
    } else if (end > s->heap[0].end) {
        s->floor = MAX(s->floor, s->heap[0].end);
        s->heap[0] = (struct range){start, end};
        sift_down(s->heap, s->n, 0);
    } else {
        s->floor = MAX(s->floor, end);
    }
}

/* Heap sort of the min-heap: highest end first. */
static void sort_by_end_down(struct range *h, unsigned int n)
{
    while (n > 1) {
        swap_ranges(&h[0], &h[--n]);
        sift_down(h, n, 0);
    }
}

/* Is there room for size bytes in [lo, x)? */
static bool room_below(const struct search *s, uint64_t x, uint64_t size)
{
    return x >= s->lo && x - s->lo >= size;
}

/* The highest page-aligned end x <= hi such that [x - size, x) is clear of
 * every kept obstacle; no room_below() it when there is none. */
static uint64_t sweep(const struct search *s, uint64_t size)
{
    uint64_t x = s->hi;

    for (unsigned int i = 0; i < s->n && room_below(s, x, size); i++) {
        if (s->heap[i].end <= x - size)
            break; /* this one and the rest end below the stretch */
        x = MIN(x, ALIGN_DOWN(s->heap[i].start, PAGE_SIZE));
    }
    return x;
}

static bool place_in_bank(struct mm_layout *l, const void *fdt, struct cells root,
                          struct range bank, uint64_t size, uint64_t *at)
{
    struct search s = {l->static_st, 0, ARRAY_SIZE(l->static_st), bank.start, bank.end, 0};

    while (room_below(&s, s.hi, size)) {
        uint64_t x;
        s.n = 0;
        s.floor = s.lo;
        for_each_obstacle(l, fdt, root, keep_obstacle, &s);
        sort_by_end_down(s.heap, s.n);
        x = sweep(&s, size);
        if (!room_below(&s, x, size))
            return false;
        if (x - size >= s.floor) {
            *at = x - size;
            return true;
        }
        s.hi = x; /* the kept obstacles all start at or above x */
    }
    return false;
}

/* size bytes of page-aligned RAM for the tables: the highest bank with room first. */
static bool place_tables(struct mm_layout *l, const void *fdt, struct cells root, uint64_t size,
                         uint64_t *at)
{
    for (unsigned int i = l->ram.nr; i-- > 0;) {
        if (place_in_bank(l, fdt, root, l->ram.r[i], size, at))
            return true;
    }
    return false;
}

/* reserved's and modules' tables: the static ones when they suffice, else
 * RAM found for them (reserved by the caller). */
static int make_tables(struct mm_layout *l, const void *fdt, struct cells root,
                       void *(*ram_at)(uint64_t pa, uint64_t size))
{
    uint64_t mods = count_modules(fdt), at, bytes;
    /* image, tree, these tables, and the allocators' metadata (core/mm.c) */
    uint64_t rsv = 3 + MM_MAX_BANKS + count_firmware_reserved(fdt) + mods;
    struct range *t;

    if (mods <= MM_STATIC_RANGES && rsv <= MM_STATIC_RANGES) {
        rangeset_init(&l->reserved, l->static_st, MM_STATIC_RANGES);
        rangeset_init(&l->modules, l->static_st + MM_STATIC_RANGES, MM_STATIC_RANGES);
        return 0;
    }
    /* A tree fdt_validate() accepts holds far fewer; the check keeps the
     * casts below honest. */
    if (rsv + mods > UINT32_MAX / sizeof(struct range)) {
        say(l, "the device tree names %llu boot modules and %llu reserved ranges: too many",
            (unsigned long long)mods, (unsigned long long)rsv);
        return -1;
    }
    bytes = ALIGN_UP((rsv + mods) * sizeof(struct range), PAGE_SIZE);
    if (!place_tables(l, fdt, root, bytes, &at)) {
        say(l,
            "the device tree names up to %llu boot modules and %llu reserved ranges: their "
            "tables need %llu KiB of RAM in one piece clear of Cloison's image, the tree, every "
            "reservation and every module, and no RAM bank has that",
            (unsigned long long)mods, (unsigned long long)rsv, (unsigned long long)bytes >> 10);
        return -1;
    }
    t = ram_at(at, bytes);
    l->tables = (struct range){at, at + bytes};
    rangeset_init(&l->reserved, t, (unsigned int)rsv);
    rangeset_init(&l->modules, t + rsv, (unsigned int)mods);
    return 0;
}

int mm_layout_scan(struct mm_layout *l, const void *fdt, struct range image, struct range window,
                   void *(*ram_at)(uint64_t pa, uint64_t size), void (*report)(const char *msg))
{
    struct cells root;

    memset(l, 0, sizeof(*l));
    rangeset_init(&l->ram, l->ram_st, MM_MAX_BANKS);
    l->report = report;
    l->image = image;
    l->window = window;
    l->dtb = (struct range){(uintptr_t)fdt, range_end((uintptr_t)fdt, fdt_totalsize(fdt))};
    if (find_ram(l, fdt, &root) != 0 || make_tables(l, fdt, root, ram_at) != 0)
        return -1;
    if (!add_reserved(l, "Cloison's image", image.start, image.end - image.start) ||
        !add_reserved(l, "the device tree", l->dtb.start, l->dtb.end - l->dtb.start) ||
        !add_reserved(l, "Cloison's boot tables", l->tables.start, l->tables.end - l->tables.start))
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
    /* Never, when the tables were placed clear of every module's reg: kept
     * so that a module the walk missed is refused, not overwritten. */
    if (start < l->tables.end && end > l->tables.start)
        return MM_MODULE_TABLES;
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
        [MM_MODULE_TABLES] = "overlaps the RAM holding Cloison's boot tables",
    };

    return (unsigned int)m < ARRAY_SIZE(str) ? str[m] : "is unusable";
}
