/*
 * The host GIC's description in the device tree (see drivers/gic_dt.h).
 * Each frame must be page aligned and at least as large as what the drivers
 * access in it, so no reg value can send a driver outside its mapping.
 */
#include <lib/report.h>
#include <cloison/fdt_cells.h>
#include <drivers/gic_dt.h>
#include <lib/printf.h>
#include <libfdt.h>
#include <stdarg.h>

#define PATH_LEN 96

static const struct {
    const char *compatible;
    unsigned int version;
} gic_compat[] = {
    {"arm,gic-v3", 3},
    {"arm,gic-400", 2},
    {"arm,cortex-a15-gic", 2},
    {"arm,cortex-a9-gic", 2},
};

/* Smallest frame each driver works with: v3 GICD (IROUTER up to 0x7fd8),
 * a GICv3 redistributor (RD + SGI frames); v2 GICD, GICC (GICC_DIR at
 * 0x1000), GICH (LRs up to 0x1fc), GICV (what guests see as GICC). */
#define V3_GICD_MIN 0x10000ULL
#define V3_GICR_MIN 0x20000ULL
static const uint64_t v2_min[4] = {0x1000, 0x2000, 0x1000, 0x2000};
static const char *const v2_name[4] = {"GICD", "GICC", "GICH", "GICV"};

struct probe {
    const void *fdt;
    void (*report)(const char *msg);
    char path[PATH_LEN];
};

static void __attribute__((format(printf, 2, 3))) say(const struct probe *p, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    report_v(p->report, "irqchip", p->path, fmt, ap);
    va_end(ap);
}

/* The parent's own cell count for the GIC's reg: absent = dflt, else 1..2. */
static bool parent_cells(struct probe *p, int parent, const char *prop, uint32_t dflt,
                         uint32_t *out)
{
    int len;
    const fdt32_t *c = parent >= 0 ? fdt_getprop(p->fdt, parent, prop, &len) : NULL;

    *out = c && len == 4 ? fdt32_ld(c) : dflt;
    if (c && len != 4) {
        say(p, "parent's property '%s' must be one cell, has %d bytes", prop, len);
        return false;
    }
    if (*out < 1 || *out > 2) {
        say(p, "parent's property '%s' = %u not supported (1 or 2)", prop, *out);
        return false;
    }
    return true;
}

/* v3: how many redistributor regions follow the GICD in reg. */
static bool rdist_regions(struct probe *p, int node, unsigned int *n)
{
    int len;
    const fdt32_t *c = fdt_getprop(p->fdt, node, "#redistributor-regions", &len);
    uint32_t v = c && len == 4 ? fdt32_ld(c) : 1;

    if (c && len != 4) {
        say(p, "property '#redistributor-regions' must be one cell, has %d bytes", len);
        return false;
    }
    if (v == 0) {
        say(p, "property '#redistributor-regions' is 0");
        return false;
    }
    if (v > GIC_DT_MAX_RDIST_REGIONS)
        say(p, "property '#redistributor-regions' = %u: only the first %d are used", v,
            GIC_DT_MAX_RDIST_REGIONS);
    *n = MIN(v, (uint32_t)GIC_DT_MAX_RDIST_REGIONS);
    return true;
}

static bool check_region(struct probe *p, unsigned int i, const struct gic_dt_region *r,
                         uint64_t min, const char *what)
{
    if (r->size < min) {
        say(p, "property 'reg' entry %u (%s, 0x%llx bytes) smaller than 0x%llx", i, what,
            (unsigned long long)r->size, (unsigned long long)min);
        return false;
    }
    if (!IS_ALIGNED(r->base, PAGE_SIZE) || r->base + r->size < r->base) {
        say(p, "property 'reg' entry %u (%s at 0x%llx + 0x%llx) not page aligned or wraps", i, what,
            (unsigned long long)r->base, (unsigned long long)r->size);
        return false;
    }
    return true;
}

static bool read_regions(struct probe *p, int node, struct gic_dt *out)
{
    uint32_t ac, sc;
    int parent = fdt_parent_offset(p->fdt, node), len;
    bool ok = parent_cells(p, parent, "#address-cells", 2, &ac);

    if (!parent_cells(p, parent, "#size-cells", 1, &sc) || !ok)
        return false;
    const fdt32_t *reg = fdt_getprop(p->fdt, node, "reg", &len);
    unsigned int have = reg && len > 0 ? (unsigned int)len / (4 * (ac + sc)) : 0;
    if (have < out->nr_regions) {
        say(p, "property 'reg' has %u entries, the GICv%u needs %u", have, out->version,
            out->nr_regions);
        return false;
    }
    for (unsigned int i = 0; i < out->nr_regions; i++) {
        const fdt32_t *e = reg + i * (ac + sc);
        struct gic_dt_region *r = &out->region[i];
        r->base = fdt_read_cells(e, ac);
        r->size = fdt_read_cells(e + ac, sc);
        bool v3 = out->version == 3;
        uint64_t min = v3 ? (i == 0 ? V3_GICD_MIN : V3_GICR_MIN) : v2_min[i];
        if (!check_region(p, i, r, min, v3 ? (i == 0 ? "GICD" : "GICR") : v2_name[i]))
            return false;
    }
    return true;
}

/* Two frames sharing bytes would have one driver's writes land in the other. */
static bool frames_apart(struct probe *p, const struct gic_dt *dt)
{
    for (unsigned int i = 0; i < dt->nr_regions; i++) {
        for (unsigned int j = i + 1; j < dt->nr_regions; j++) {
            const struct gic_dt_region *a = &dt->region[i], *b = &dt->region[j];
            if (a->base < b->base + b->size && b->base < a->base + a->size) {
                say(p, "property 'reg' entries %u and %u overlap", i, j);
                return false;
            }
        }
    }
    return true;
}

int gic_dt_probe(const void *fdt, struct gic_dt *out, void (*report)(const char *msg))
{
    struct probe p = {.fdt = fdt, .report = report, .path = "/"};

    for (size_t i = 0; i < ARRAY_SIZE(gic_compat); i++) {
        int node = fdt_node_offset_by_compatible(fdt, -1, gic_compat[i].compatible);
        if (node < 0)
            continue;
        if (fdt_get_path(fdt, node, p.path, sizeof(p.path)) != 0)
            snprintf(p.path, sizeof(p.path), "%s", "(a GIC node)");
        out->version = gic_compat[i].version;
        out->node = node;
        out->compatible = gic_compat[i].compatible;
        out->nr_regions = 4;
        if (out->version == 3) {
            unsigned int n;
            if (!rdist_regions(&p, node, &n))
                return -1;
            out->nr_regions = 1 + n;
        }
        return read_regions(&p, node, out) && frames_apart(&p, out) ? 0 : -1;
    }
    say(&p, "no node compatible \"arm,gic-v3\", \"arm,gic-400\", \"arm,cortex-a15-gic\" or "
            "\"arm,cortex-a9-gic\"");
    return -1;
}
