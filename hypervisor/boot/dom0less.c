/*
 * Dom0less: domains described in the host device tree, with Xen's binding
 * (docs/misc/arm/device-tree/booting.txt, Xen 4.17):
 *
 *   chosen {
 *       domU1 {
 *           compatible = "xen,domain";
 *           #address-cells = <2>; #size-cells = <1>;   (for the modules' reg)
 *           memory = <0 131072>;   KiB, 64-bit (a single cell is accepted too)
 *           cpus = <2>;
 *           vpl011;                optional, empty
 *           xen,enhanced = "enabled" | "no-xenstore" | "disabled";  optional
 *           cloison,event-channels = <8192>;   optional, Cloison's own: ports
 *                                              the domain may use (default 4096)
 *           xen,domain-p2m-mem-mb = <2>;       optional: P2M pool (stage-2 tables)
 *                                              in MiB (default: core/domain_p2m.c)
 *           cloison,sched-weight = <512>;      optional, Cloison's own: credit2
 *           cloison,sched-cap = <25>;          weight (default 256) and cap (% of
 *                                              one pCPU, default 0: none)
 *           domain-cpupool = <&pool1>;         optional: its CPU pool's node
 *                                              (boot/cpupool_dt.c checks it)
 *           module@4a000000 { compatible = "multiboot,kernel", "multiboot,module";
 *                             reg = <...>; bootargs = "..."; };
 *           module@4b000000 { compatible = "multiboot,ramdisk", "multiboot,module";
 *                             reg = <...>; };
 *       };
 *   };
 *
 * The tree comes from firmware or a user and is untrusted: every property
 * length is checked before its bytes are read, and one bad domain is reported
 * and skipped without affecting the others.
 */
#include <lib/report.h>
#include <cloison/fdt_cells.h>
#include <string.h>
#include <stdarg.h>
#include <libfdt.h>
#include <lib/printf.h>
#include <core/domain_cfg.h>

#define MSG_LEN 256

struct parse_ctx {
    const void *fdt;
    int chosen; /* /chosen's offset: the domain nodes' parent */
    void (*report)(const char *msg);
    const char *path; /* node the next message is about, "/chosen/domU1[/module@x]" */
};

static void __attribute__((format(printf, 2, 3)))
say(const struct parse_ctx *c, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    report_v(c->report, "dom0less", c->path, fmt, ap);
    va_end(ap);
}

/* A string property: present, non-empty and NUL-terminated within its length. */
static const char *get_string(const void *fdt, int node, const char *prop, int *lenp)
{
    int len;
    const char *s = fdt_getprop(fdt, node, prop, &len);

    if (lenp)
        *lenp = s ? len : -1;
    if (!s || len <= 0 || s[len - 1] != '\0')
        return NULL;
    return s;
}

static bool parse_memory(const struct parse_ctx *c, int node, struct domain_cfg *cfg)
{
    int len;
    const fdt32_t *p = fdt_getprop(c->fdt, node, "memory", &len);
    uint64_t kib;

    if (!p) {
        say(c, "property 'memory' missing");
        return false;
    }
    /* Xen reads a u64; a single cell is an easy mistake with one meaning. */
    if (len != 4 && len != 8) {
        say(c, "property 'memory' must be 1 or 2 cells (KiB), has %d bytes", len);
        return false;
    }
    kib = fdt_read_cells(p, len / 4);
    if (kib % 4) {
        say(c, "property 'memory' (%llu KiB) is not a multiple of 4 KiB", (unsigned long long)kib);
        return false;
    }
    if (kib < DOMCFG_MIN_MEMORY_KIB || kib > DOMCFG_MAX_MEMORY_KIB) {
        say(c, "property 'memory' (%llu KiB) outside %llu..%llu KiB", (unsigned long long)kib,
            DOMCFG_MIN_MEMORY_KIB, DOMCFG_MAX_MEMORY_KIB);
        return false;
    }
    cfg->memory_kib = kib;
    return true;
}

static bool parse_cpus(const struct parse_ctx *c, int node, struct domain_cfg *cfg)
{
    int len;
    const fdt32_t *p = fdt_getprop(c->fdt, node, "cpus", &len);
    uint32_t n;

    if (!p) {
        say(c, "property 'cpus' missing");
        return false;
    }
    if (len != 4) {
        say(c, "property 'cpus' must be one cell, has %d bytes", len);
        return false;
    }
    n = fdt32_ld(p);
    if (n == 0 || n > DOMCFG_MAX_VCPUS) {
        say(c, "property 'cpus' (%u) outside 1..%d", n, DOMCFG_MAX_VCPUS);
        return false;
    }
    cfg->vcpus = n;
    return true;
}

/* Xen's reading: present without a (string) value means "enabled"; an unknown
 * value means a plain VM. Cloison warns in the cases Xen is silent about. */
static void parse_enhanced(const struct parse_ctx *c, int node, struct domain_cfg *cfg)
{
    int len;
    const char *s = get_string(c->fdt, node, "xen,enhanced", &len);

    cfg->enhanced = XEN_ENHANCED_NONE;
    if (len < 0)
        return;
    if (len == 0) {
        cfg->enhanced = XEN_ENHANCED_ENABLED;
    } else if (!s) {
        say(c, "property 'xen,enhanced' is not a string, treated as \"enabled\" (as Xen)");
        cfg->enhanced = XEN_ENHANCED_ENABLED;
    } else if (!strcmp(s, "enabled") || !strcmp(s, "legacy")) {
        /* "legacy" (Xen 4.19+) is 4.17's "enabled": xenstore page set up late. */
        cfg->enhanced = XEN_ENHANCED_ENABLED;
    } else if (!strcmp(s, "no-xenstore")) {
        cfg->enhanced = XEN_ENHANCED_NO_XENSTORE;
    } else if (strcmp(s, "disabled")) {
        say(c, "property 'xen,enhanced' = \"%.32s\" unknown, treated as \"disabled\" (as Xen)", s);
    }
}

/* Cloison's "cloison,event-channels" = <N>: the domain may use ports 0..N-1
 * (xl.cfg's event_channels); absent = the default (0 here). */
static bool parse_event_channels(const struct parse_ctx *c, int node, struct domain_cfg *cfg)
{
    int len;
    const fdt32_t *p = fdt_getprop(c->fdt, node, "cloison,event-channels", &len);
    uint32_t n;

    if (!p)
        return true;
    if (len != 4) {
        say(c, "property 'cloison,event-channels' must be one cell, has %d bytes", len);
        return false;
    }
    n = fdt32_ld(p);
    if (n == 0 || n > DOMCFG_MAX_EVENT_CHANNELS) {
        say(c, "property 'cloison,event-channels' (%u) outside 1..%u", n,
            DOMCFG_MAX_EVENT_CHANNELS);
        return false;
    }
    /* Called after parse_enhanced: a plain VM has no event channels at all. */
    if (cfg->enhanced == XEN_ENHANCED_NONE)
        say(c, "property 'cloison,event-channels' ignored without 'xen,enhanced'");
    cfg->event_channels = n;
    return true;
}

/* "xen,domain-p2m-mem-mb": the P2M pool in MiB, one cell as Xen reads it. Whether
 * it holds the domain's layout is known once that is mapped (core/domain_p2m.c). */
static bool parse_p2m_mem(const struct parse_ctx *c, int node, struct domain_cfg *cfg)
{
    int len;
    const fdt32_t *p = fdt_getprop(c->fdt, node, "xen,domain-p2m-mem-mb", &len);

    if (!p)
        return true;
    if (len != 4) {
        say(c, "property 'xen,domain-p2m-mem-mb' must be one cell (MiB), has %d bytes", len);
        return false;
    }
    cfg->p2m_mem_mb = fdt32_ld(p);
    if (cfg->p2m_mem_mb == 0) {
        say(c, "property 'xen,domain-p2m-mem-mb' is 0: the tables need at least one page");
        return false;
    }
    return true;
}

/* Cloison's "cloison,sched-weight" and "cloison,sched-cap" (one cell each):
 * what xl sched-credit2 -w / -c set, for domains no toolstack manages.
 * After parse_cpus: a cap is bounded by 100 per vCPU, as Xen bounds it. */
static bool parse_sched(const struct parse_ctx *c, int node, struct domain_cfg *cfg)
{
    static const char *const props[] = {"cloison,sched-weight", "cloison,sched-cap"};
    bool ok = true;
    for (unsigned int i = 0; i < 2; i++) {
        int len;
        const fdt32_t *p = fdt_getprop(c->fdt, node, props[i], &len);
        if (!p)
            continue;
        if (len != 4) {
            say(c, "property '%s' must be one cell, has %d bytes", props[i], len);
            ok = false;
            continue;
        }
        uint32_t v = fdt32_ld(p), max = i == 0 ? 65535 : 100 * (cfg->vcpus ? cfg->vcpus : 1);
        if ((i == 0 && v == 0) || v > max) {
            say(c, "property '%s' (%u) outside %u..%u", props[i], v, i == 0 ? 1u : 0u, max);
            ok = false;
            continue;
        }
        if (i == 0)
            cfg->sched_weight = (uint16_t)v;
        else
            cfg->sched_cap = (uint16_t)v;
    }
    return ok;
}

/* "domain-cpupool": the phandle of its pool's node, taken as it is; whether
 * it names a pool is boot/cpupool_dt.c's question, asked of every domain
 * before any is built (a wrong one stops the boot, it is not skipped). */
static void parse_cpupool(const struct parse_ctx *c, int node, struct domain_cfg *cfg)
{
    int len;
    const fdt32_t *p = fdt_getprop(c->fdt, node, "domain-cpupool", &len);
    cfg->cpupool_phandle = p && len == 4 ? fdt32_ld(p) : 0;
}

/* Cell counts for the modules' reg: the domain node's own, else inherited
 * from the nearest ancestor that has one (as Xen's scanner does: /chosen,
 * then the root), else the device-tree defaults (2 address, 1 size). A domain
 * node's ancestors are known, so no parent lookup (a walk from the root in
 * libfdt) is made for each of thousands of domains. */
static bool get_cells(const struct parse_ctx *c, int node, const char *prop, uint32_t dflt,
                      uint32_t *out)
{
    const int chain[] = {node, c->chosen, 0};
    const fdt32_t *p = NULL;
    int len, at = -1;

    for (size_t i = 0; i < ARRAY_SIZE(chain) && !p; i++) {
        if (chain[i] >= 0 && (i == 0 || chain[i] != chain[i - 1]))
            p = fdt_getprop(c->fdt, at = chain[i], prop, &len);
    }
    if (!p) {
        *out = dflt;
    } else if (len != 4) {
        say(c, "property '%s' must be one cell, has %d bytes", prop, len);
        return false;
    } else {
        *out = fdt32_ld(p);
    }
    if (!p || at != node)
        say(c, "property '%s' missing (booting.txt requires it), using %u", prop, *out);
    /* Module addresses and sizes are 64-bit at most; 0 size cells leave no size. */
    if (*out < 1 || *out > 2) {
        say(c, "property '%s' = %u not supported (1 or 2)", prop, *out);
        return false;
    }
    return true;
}

struct cells {
    uint32_t addr, size;
};

static bool parse_reg(const struct parse_ctx *c, int mod, struct cells cells, struct boot_module *m)
{
    int len;
    const fdt32_t *p = fdt_getprop(c->fdt, mod, "reg", &len);
    int entry = (int)(cells.addr + cells.size) * 4;

    if (!p) {
        say(c, "property 'reg' missing");
        return false;
    }
    if (len < entry || len % entry) {
        say(c,
            "property 'reg' has %d bytes, expected a multiple of %d (#address-cells %u, "
            "#size-cells %u)",
            len, entry, cells.addr, cells.size);
        return false;
    }
    if (len > entry)
        say(c, "property 'reg' has %d ranges, only the first is used", len / entry);
    m->start = fdt_read_cells(p, (int)cells.addr);
    m->size = fdt_read_cells(p + cells.addr, (int)cells.size);
    m->node = mod;
    if (m->size == 0) {
        say(c, "property 'reg' gives size 0");
        return false;
    }
    if (m->start + m->size < m->start) {
        say(c, "property 'reg' range 0x%llx + 0x%llx wraps past 2^64", (unsigned long long)m->start,
            (unsigned long long)m->size);
        return false;
    }
    return true;
}

enum module_kind { MOD_NONE, MOD_KERNEL, MOD_RAMDISK, MOD_IGNORED };

static enum module_kind module_kind(const struct parse_ctx *c, int mod)
{
    const void *fdt = c->fdt;

    if (!fdt_node_check_compatible(fdt, mod, "multiboot,kernel"))
        return MOD_KERNEL;
    if (!fdt_node_check_compatible(fdt, mod, "multiboot,ramdisk"))
        return MOD_RAMDISK;
    if (!fdt_node_check_compatible(fdt, mod, "multiboot,device-tree")) {
        say(c, "passthrough device tree (multiboot,device-tree) not supported, ignored");
        return MOD_IGNORED;
    }
    /* Xen finds a domU's kernel by "multiboot,kernel" only: the legacy
     * first-unnamed-module-is-the-kernel rule applies to dom0's modules. */
    if (!fdt_node_check_compatible(fdt, mod, "multiboot,module") ||
        !fdt_node_check_compatible(fdt, mod, "xen,multiboot-module")) {
        say(c, "property 'compatible' lacks \"multiboot,kernel\"/\"multiboot,ramdisk\", "
               "module ignored");
        return MOD_IGNORED;
    }
    return MOD_NONE;
}

/* Xen takes the command line of the first module child that has one. */
static bool take_bootargs(const struct parse_ctx *c, int mod, struct domain_cfg *cfg)
{
    int len;
    const char *s = get_string(c->fdt, mod, "bootargs", &len);

    if (len < 0 || cfg->bootargs[0])
        return true;
    if (!s) {
        say(c, "property 'bootargs' is not a NUL-terminated string");
        return false;
    }
    if ((size_t)len > sizeof(cfg->bootargs)) {
        say(c, "property 'bootargs' is %d bytes, longer than %zu", len - 1,
            sizeof(cfg->bootargs) - 1);
        return false;
    }
    memcpy(cfg->bootargs, s, (size_t)len);
    return true;
}

static bool parse_module(struct parse_ctx *c, int mod, struct cells cells, struct domain_cfg *cfg)
{
    enum module_kind kind = module_kind(c, mod);
    struct boot_module *m = kind == MOD_KERNEL ? &cfg->kernel : &cfg->ramdisk;
    const char *what = kind == MOD_KERNEL ? "multiboot,kernel" : "multiboot,ramdisk";

    if (kind == MOD_NONE || kind == MOD_IGNORED)
        return true;
    if (m->size) {
        say(c, "second \"%s\" module in the domain", what);
        return false;
    }
    return parse_reg(c, mod, cells, m) && take_bootargs(c, mod, cfg);
}

static bool parse_modules(struct parse_ctx *c, int node, struct domain_cfg *cfg)
{
    const char *dom_path = c->path;
    struct cells cells;
    char path[128];
    int mod;
    bool ok = true;

    if (!get_cells(c, node, "#address-cells", 2, &cells.addr) ||
        !get_cells(c, node, "#size-cells", 1, &cells.size))
        return false;

    fdt_for_each_subnode(mod, c->fdt, node)
    {
        const char *name = fdt_get_name(c->fdt, mod, NULL);

        snprintf(path, sizeof(path), "%s/%s", dom_path, name ? name : "?");
        c->path = path;
        ok = parse_module(c, mod, cells, cfg) && ok;
        c->path = dom_path;
    }
    if (!ok)
        return false;
    if (!cfg->kernel.size) {
        say(c, cfg->ramdisk.size ? "\"multiboot,ramdisk\" module without a \"multiboot,kernel\""
                                 : "no module compatible \"multiboot,kernel\"");
        return false;
    }
    /* memory_kib is 0 when 'memory' was already reported as bad. */
    if (cfg->memory_kib && cfg->kernel.size + cfg->ramdisk.size > cfg->memory_kib * 1024) {
        say(c, "property 'memory' (%llu KiB) smaller than kernel + ramdisk (%llu bytes)",
            (unsigned long long)cfg->memory_kib,
            (unsigned long long)(cfg->kernel.size + cfg->ramdisk.size));
        return false;
    }
    return true;
}

/* Properties of Xen's binding that Cloison does not implement: a DTB written
 * for Xen still boots, the user learns what is not honoured. */
static const char *const unsupported_props[] = {
    "xen,static-mem", "direct-map", "nr_spis", "passthrough", "llc-colors", "bootargs",
};

static void warn_unsupported(const struct parse_ctx *c, int node)
{
    for (size_t i = 0; i < ARRAY_SIZE(unsupported_props); i++) {
        if (fdt_getprop(c->fdt, node, unsupported_props[i], NULL))
            say(c, "property '%s' not supported, ignored%s", unsupported_props[i],
                !strcmp(unsupported_props[i], "bootargs") ? " (put it on the kernel module)" : "");
    }
}

static bool parse_name(const struct parse_ctx *c, int node, struct domain_cfg *cfg)
{
    int len;
    const char *name = fdt_get_name(c->fdt, node, &len);

    if (!name || len <= 0 || (size_t)len >= sizeof(cfg->name)) {
        say(c, "node name longer than %zu characters", sizeof(cfg->name) - 1);
        return false;
    }
    memcpy(cfg->name, name, (size_t)len);
    cfg->name[len] = '\0';
    return true;
}

/* on_poweroff / on_reboot / on_crash: a Cloison extension with xl.cfg's values. */
static bool parse_action(const struct parse_ctx *c, int node, const char *prop,
                         enum domain_action dflt, enum domain_action *out)
{
    static const struct {
        const char *name;
        enum domain_action action;
    } actions[] = {
        {"destroy", ACTION_DESTROY}, {"restart", ACTION_RESTART}, {"preserve", ACTION_PRESERVE}};
    int len;
    const char *s = get_string(c->fdt, node, prop, &len);

    *out = dflt;
    if (len < 0)
        return true;
    for (size_t i = 0; s && i < sizeof(actions) / sizeof(actions[0]); i++) {
        if (!strcmp(s, actions[i].name)) {
            *out = actions[i].action;
            return true;
        }
    }
    say(c, "property '%s' must be \"destroy\", \"restart\" or \"preserve\"", prop);
    return false;
}

/* All checks run even after a failure, so one boot shows every mistake. */
static bool parse_domain(struct parse_ctx *c, int node, struct domain_cfg *cfg)
{
    bool ok;

    memset(cfg, 0, sizeof(*cfg));
    ok = parse_name(c, node, cfg);
    ok = parse_memory(c, node, cfg) && ok;
    ok = parse_cpus(c, node, cfg) && ok;
    cfg->vpl011 = fdt_getprop(c->fdt, node, "vpl011", NULL) != NULL;
    parse_enhanced(c, node, cfg);
    ok = parse_event_channels(c, node, cfg) && ok;
    ok = parse_p2m_mem(c, node, cfg) && ok;
    ok = parse_sched(c, node, cfg) && ok;
    ok = parse_action(c, node, "on_poweroff", ACTION_DESTROY, &cfg->on_poweroff) && ok;
    ok = parse_action(c, node, "on_reboot", ACTION_DESTROY, &cfg->on_reboot) && ok;
    ok = parse_action(c, node, "on_crash", ACTION_DESTROY, &cfg->on_crash) && ok;
    parse_cpupool(c, node, cfg);
    warn_unsupported(c, node);
    ok = parse_modules(c, node, cfg) && ok;
    if (!ok)
        say(c, "domain skipped");
    return ok;
}

int dom0less_for_each(const void *fdt, struct domain_cfg *scratch,
                      int (*fn)(void *ctx, struct domain_cfg *cfg), void *ctx,
                      void (*report)(const char *msg))
{
    struct parse_ctx c = {.fdt = fdt, .report = report};
    char path[128];
    int rc, node, n = 0;

    rc = fdt_check_header(fdt);
    if (rc)
        return rc;
    c.chosen = fdt_path_offset(fdt, "/chosen");
    if (c.chosen < 0)
        return 0;

    fdt_for_each_subnode(node, fdt, c.chosen)
    {
        const char *name;

        if (fdt_node_check_compatible(fdt, node, "xen,domain"))
            continue;
        name = fdt_get_name(fdt, node, NULL);
        snprintf(path, sizeof(path), "/chosen/%s", name ? name : "?");
        c.path = path;
        if (!parse_domain(&c, node, scratch))
            continue;
        n++;
        if ((rc = fn(ctx, scratch)) != 0)
            return rc;
    }
    return n;
}

struct parse_array {
    struct domain_cfg *out;
    int n, max;
    void (*report)(const char *msg);
};

static int keep_in_array(void *ctx, struct domain_cfg *cfg)
{
    struct parse_array *a = ctx;

    if (a->n >= a->max) {
        if (a->report) {
            char msg[MSG_LEN];
            snprintf(msg, sizeof(msg),
                     "dom0less: /chosen/%s: too many domains (at most %d), domain skipped",
                     cfg->name, a->max);
            a->report(msg);
        }
        return 0;
    }
    a->out[a->n++] = *cfg;
    return 0;
}

int dom0less_parse(const void *fdt, struct domain_cfg *out, int max,
                   void (*report)(const char *msg))
{
    struct parse_array a = {out, 0, max < 0 ? 0 : max, report};
    struct domain_cfg scratch;
    int rc = dom0less_for_each(fdt, &scratch, keep_in_array, &a, report);

    return rc < 0 ? rc : a.n;
}

/* The dom0 kernel module among /chosen's direct children: "multiboot,kernel",
 * else (Xen's legacy rule) the first module without a specific type. */
static int dom0_kernel_module(const void *fdt, int chosen)
{
    static const char *const specific[] = {
        "multiboot,kernel", "xen,linux-zimage", "multiboot,ramdisk",
        "xen,linux-initrd", "xen,xsm-policy",   "multiboot,device-tree",
    };
    int node, first_unknown = -1;

    fdt_for_each_subnode(node, fdt, chosen)
    {
        bool known = false;

        if (fdt_node_check_compatible(fdt, node, "multiboot,module") &&
            fdt_node_check_compatible(fdt, node, "xen,multiboot-module"))
            continue;
        if (!fdt_node_check_compatible(fdt, node, "multiboot,kernel") ||
            !fdt_node_check_compatible(fdt, node, "xen,linux-zimage"))
            return node;
        for (size_t i = 0; i < ARRAY_SIZE(specific); i++)
            known = known || !fdt_node_check_compatible(fdt, node, specific[i]);
        if (!known && first_unknown < 0)
            first_unknown = node;
    }
    return first_unknown;
}

const char *dom0less_hv_bootargs(const void *fdt)
{
    int chosen, kernel, len;
    const char *s;

    if (fdt_check_header(fdt))
        return NULL;
    chosen = fdt_path_offset(fdt, "/chosen");
    if (chosen < 0)
        return NULL;
    if (fdt_getprop(fdt, chosen, "xen,xen-bootargs", NULL))
        return get_string(fdt, chosen, "xen,xen-bootargs", NULL);
    if (fdt_getprop(fdt, chosen, "xen,dom0-bootargs", NULL))
        return get_string(fdt, chosen, "bootargs", NULL);
    kernel = dom0_kernel_module(fdt, chosen);
    s = kernel >= 0 ? get_string(fdt, kernel, "bootargs", &len) : NULL;
    if (s && s[0])
        return get_string(fdt, chosen, "bootargs", NULL);
    return NULL;
}

/* The first /chosen child with this compatible, or -1. */
static int chosen_module(const void *fdt, int chosen, const char *compat)
{
    int node;
    fdt_for_each_subnode(node, fdt, chosen)
    {
        if (!fdt_node_check_compatible(fdt, node, compat))
            return node;
    }
    return -1;
}

/* dom0's command line, by booting.txt's precedence. */
static bool dom0_bootargs(const struct parse_ctx *c, int chosen, int kernel, struct domain_cfg *cfg)
{
    const char *s = get_string(c->fdt, chosen, "xen,dom0-bootargs", NULL);
    if (!s) {
        int len;
        const char *k = get_string(c->fdt, kernel, "bootargs", &len);
        s = (k && k[0]) ? k : NULL;
    }
    if (!s && fdt_getprop(c->fdt, chosen, "xen,xen-bootargs", NULL))
        s = get_string(c->fdt, chosen, "bootargs", NULL);
    if (!s)
        return true;
    if (strlen(s) >= sizeof(cfg->bootargs)) {
        say(c, "dom0 command line longer than %zu bytes", sizeof(cfg->bootargs) - 1);
        return false;
    }
    snprintf(cfg->bootargs, sizeof(cfg->bootargs), "%s", s);
    return true;
}

int dom0_parse(const void *fdt, struct domain_cfg *cfg, void (*report)(const char *msg))
{
    struct parse_ctx c = {.fdt = fdt, .report = report, .path = "/chosen"};
    struct cells cells;
    int chosen, kernel, ramdisk;

    if (fdt_check_header(fdt))
        return -1;
    chosen = c.chosen = fdt_path_offset(fdt, "/chosen");
    if (chosen < 0 || (kernel = dom0_kernel_module(fdt, chosen)) < 0)
        return 0;
    memset(cfg, 0, sizeof(*cfg));
    snprintf(cfg->name, sizeof(cfg->name), "%s", "Domain-0");
    cfg->is_dom0 = true;
    cfg->enhanced = XEN_ENHANCED_ENABLED;
    /* QEMU's guest-loader writes module reg with the root's cell counts and
     * no #address-cells in /chosen: inherit them quietly, as Xen does. */
    struct parse_ctx quiet = c;
    quiet.report = NULL;
    if (!get_cells(&quiet, chosen, "#address-cells", 2, &cells.addr) ||
        !get_cells(&quiet, chosen, "#size-cells", 1, &cells.size)) {
        say(&c, "unusable #address-cells/#size-cells for the dom0 modules");
        return -1;
    }
    c.path = "/chosen (dom0 kernel)";
    if (!parse_reg(&c, kernel, cells, &cfg->kernel) || !dom0_bootargs(&c, chosen, kernel, cfg))
        return -1;
    ramdisk = chosen_module(fdt, chosen, "multiboot,ramdisk");
    c.path = "/chosen (dom0 ramdisk)";
    if (ramdisk >= 0 && !parse_reg(&c, ramdisk, cells, &cfg->ramdisk))
        return -1;
    return 1;
}
