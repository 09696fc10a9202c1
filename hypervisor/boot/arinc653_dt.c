/*
 * The cloison,arinc653-* properties of a pool node (include/boot/arinc653_dt.h
 * has the binding). The tree is the operator's but is read defensively:
 * every property's length is checked before its cells are read, and the
 * work is bounded by the 64 windows. Every mistake is reported, not only
 * the first, so one boot shows them all.
 */
#include <boot/arinc653_dt.h>
#include <lib/printf.h>
#include <lib/report.h>
#include <libfdt.h>
#include <stdarg.h>
#include <string.h>

struct ctx {
    const void *fdt;
    int node;
    void (*report)(const char *msg);
    char path[96];
    bool bad;
};

static void __attribute__((format(printf, 2, 3))) say(struct ctx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report_v(c->report, "arinc653", c->path, fmt, ap);
    va_end(ap);
    c->bad = true;
}

/* A one-cell property, *present false when absent; false if malformed. */
static bool get_u32(const void *fdt, int node, const char *prop, uint32_t *v, bool *present)
{
    int len;
    const fdt32_t *p = fdt_getprop(fdt, node, prop, &len);
    *present = p != NULL;
    if (!p)
        return true;
    if (len != 4)
        return false;
    *v = fdt32_ld(p);
    return true;
}

/* Is `dom` a /chosen xen,domain node in this pool with vCPU `vcpu`? */
static void check_domain(struct ctx *c, unsigned int i, uint32_t ph, uint32_t vcpu)
{
    int dom = fdt_node_offset_by_phandle(c->fdt, ph);
    if (dom < 0 || fdt_parent_offset(c->fdt, dom) != fdt_path_offset(c->fdt, "/chosen") ||
        fdt_node_check_compatible(c->fdt, dom, "xen,domain") != 0) {
        say(c, "window %u: phandle %#x is not a /chosen xen,domain node", i, ph);
        return;
    }
    const char *name = fdt_get_name(c->fdt, dom, NULL);
    uint32_t pool = 0, cpus = 1;
    bool has_pool, has_cpus;
    if (!get_u32(c->fdt, dom, "domain-cpupool", &pool, &has_pool) || !has_pool ||
        pool != fdt_get_phandle(c->fdt, c->node) || pool == 0)
        say(c, "window %u: domain %s is not in this pool (its domain-cpupool)", i,
            name ? name : "?");
    if (!get_u32(c->fdt, dom, "cpus", &cpus, &has_cpus))
        return; /* the domain parser reports its own cpus */
    if (vcpu >= cpus)
        say(c, "window %u: domain %s has no vCPU %u (cpus = %u)", i, name ? name : "?", vcpu, cpus);
}

static void read_windows(struct ctx *c, const fdt32_t *cells, int len, struct arinc653_dt *out)
{
    if (len <= 0 || len % 12 != 0) {
        say(c, "%s: %d bytes, not <domain vcpu runtime-us> triples", ARINC653_DT_SCHEDULE, len);
        return;
    }
    unsigned int n = (unsigned int)len / 12;
    if (n > ARINC653_MAX_WINDOWS) {
        say(c, "%s: %u windows, at most %u", ARINC653_DT_SCHEDULE, n, ARINC653_MAX_WINDOWS);
        return;
    }
    uint64_t total = 0;
    for (unsigned int i = 0; i < n; i++) {
        struct arinc653_dt_window *w = &out->windows[i];
        w->dom_phandle = fdt32_ld(cells + 3 * i);
        w->vcpu = fdt32_ld(cells + 3 * i + 1);
        w->runtime_ns = (uint64_t)fdt32_ld(cells + 3 * i + 2) * 1000;
        if (!w->runtime_ns)
            say(c, "window %u: runtime 0", i);
        check_domain(c, i, w->dom_phandle, w->vcpu);
        total += w->runtime_ns; /* at most 64 x 2^32 x 1000: no overflow */
    }
    out->nr_windows = n;
    if (out->major_frame_ns && total > out->major_frame_ns)
        say(c, "the windows take %llu us, more than the major frame (%llu us)",
            (unsigned long long)(total / 1000), (unsigned long long)(out->major_frame_ns / 1000));
}

int arinc653_dt_parse(const void *fdt, int node, struct arinc653_dt *out,
                      void (*report)(const char *msg))
{
    struct ctx c = {fdt, node, report, "", false};
    if (fdt_get_path(fdt, node, c.path, sizeof(c.path)) < 0) {
        const char *n = fdt_get_name(fdt, node, NULL);
        snprintf(c.path, sizeof(c.path), "%s", n ? n : "?");
    }
    memset(out, 0, sizeof(*out));
    int len;
    const fdt32_t *sched = fdt_getprop(fdt, node, ARINC653_DT_SCHEDULE, &len);
    uint32_t major_us = 0;
    bool has_major;
    if (!get_u32(fdt, node, ARINC653_DT_MAJOR_FRAME, &major_us, &has_major))
        say(&c, "%s: not one cell", ARINC653_DT_MAJOR_FRAME);
    else if (has_major && major_us == 0)
        say(&c, "%s: 0", ARINC653_DT_MAJOR_FRAME);
    if (!sched && !has_major)
        return c.bad ? -1 : 0;
    if (!sched || !has_major)
        say(&c, "%s without %s", sched ? ARINC653_DT_SCHEDULE : ARINC653_DT_MAJOR_FRAME,
            sched ? ARINC653_DT_MAJOR_FRAME : ARINC653_DT_SCHEDULE);
    out->major_frame_ns = (uint64_t)major_us * 1000;
    if (sched)
        read_windows(&c, sched, len, out);
    return c.bad ? -1 : 1;
}

void arinc653_dt_schedule(const struct arinc653_dt *dt,
                          uint32_t (*domid_of)(uint32_t phandle, void *ctx), void *ctx,
                          struct arinc653_schedule *out)
{
    memset(out, 0, sizeof(*out));
    out->major_frame = dt->major_frame_ns;
    out->nr_windows = dt->nr_windows;
    for (unsigned int i = 0; i < dt->nr_windows; i++) {
        out->windows[i].vcpu_id = dt->windows[i].vcpu;
        out->windows[i].runtime = dt->windows[i].runtime_ns;
        out->windows[i].domid = domid_of(dt->windows[i].dom_phandle, ctx);
    }
}
