/*
 * Boot-time CPU pools from the device tree (include/boot/cpupool_dt.h has
 * the binding and the ids). Xen 4.17 (its boot-time cpupool code)
 * panics at the first mistake; here each pool node is checked whole, every
 * mistake reported naming its node, and the caller stops the boot.
 *
 * The tree is the operator's but is still read defensively: every property
 * length is checked before its bytes are read, and the work per pool node is
 * bounded by the pCPUs (a node stops at its first bad cell).
 */
#include <boot/arinc653_dt.h>
#include <boot/cpupool_dt.h>
#include <cloison/fdt_cells.h>
#include <lib/printf.h>
#include <lib/report.h>
#include <libfdt.h>
#include <stdarg.h>
#include <string.h>

/* The MPIDR bits a cpu node's reg holds (Xen's MPIDR_HWID_MASK). */
#define MPIDR_HWID_MASK 0xff00ffffffULL

struct ctx {
    const void *fdt;
    const struct cpupool_dt_host *host;
    void (*report)(const char *msg);
    char path[96];                  /* the node the next message is about */
    int cpus;                       /* /cpus' offset */
    int owner[CPUPOOL_DT_MAX_CPUS]; /* pool node that claimed each pCPU, -1 */
};

static void __attribute__((format(printf, 2, 3))) say(const struct ctx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report_v(c->report, "cpupool", c->path, fmt, ap);
    va_end(ap);
}

static const char *node_name(const void *fdt, int node)
{
    const char *n = fdt_get_name(fdt, node, NULL);
    return n ? n : "?";
}

static void set_path(struct ctx *c, int node)
{
    snprintf(c->path, sizeof(c->path), "/chosen/%s", node_name(c->fdt, node));
}

/* A string property: present, non-empty, NUL-terminated within its length;
 * *len < 0 when absent. */
static const char *get_string(const void *fdt, int node, const char *prop, int *len)
{
    const char *s = fdt_getprop(fdt, node, prop, len);
    if (!s) {
        *len = -1;
        return NULL;
    }
    if (*len <= 0 || s[*len - 1] != '\0' || s[0] == '\0')
        return NULL;
    return s;
}

/* The MPIDR a cpu node's reg gives, with /cpus' #address-cells (1 or 2; when
 * absent, the reg's own length decides, as Cloison's CPU bring-up reads it). */
static bool cpu_reg(const struct ctx *c, int cpu, uint64_t *mpidr)
{
    int len, alen;
    const fdt32_t *ac = fdt_getprop(c->fdt, c->cpus, "#address-cells", &alen);
    const fdt32_t *reg = fdt_getprop(c->fdt, cpu, "reg", &len);
    unsigned int cells;
    if (!reg || len < 4)
        return false;
    if (ac && alen == 4)
        cells = fdt32_ld(ac);
    else
        cells = len >= 8 ? 2 : 1;
    if (cells < 1 || cells > 2 || len < (int)(4 * cells))
        return false;
    *mpidr = fdt_read_cells(reg, cells) & MPIDR_HWID_MASK;
    return true;
}

/* The pCPU the i-th phandle of a pool node names, or -1 after reporting. */
static int pcpu_of_cell(struct ctx *c, uint32_t phandle, unsigned int i)
{
    const void *fdt = c->fdt;
    int cpu = phandle && phandle != ~0U ? fdt_node_offset_by_phandle(fdt, phandle) : -1;
    uint64_t mpidr;
    int len;
    if (cpu < 0) {
        say(c, "cpupool-cpus[%u]: phandle 0x%x names no node", i, phandle);
        return -1;
    }
    const char *type = fdt_getprop(fdt, cpu, "device_type", &len);
    bool is_cpu = type && len == 4 && !memcmp(type, "cpu", 4);
    if (!is_cpu || c->cpus < 0 || fdt_parent_offset(fdt, cpu) != c->cpus) {
        say(c, "cpupool-cpus[%u]: node '%s' is not a cpu node of /cpus", i, node_name(fdt, cpu));
        return -1;
    }
    if (!cpu_reg(c, cpu, &mpidr)) {
        say(c, "cpupool-cpus[%u]: cpu node '%s' has no usable 'reg'", i, node_name(fdt, cpu));
        return -1;
    }
    for (unsigned int p = 0; p < c->host->nr_cpus; p++) {
        if ((c->host->mpidr[p] & MPIDR_HWID_MASK) != mpidr)
            continue;
        if (!(c->host->online & (1ULL << p))) {
            say(c, "cpupool-cpus[%u]: cpu node '%s' is pCPU%u, which is not online", i,
                node_name(fdt, cpu), p);
            return -1;
        }
        return (int)p;
    }
    say(c, "cpupool-cpus[%u]: cpu node '%s' (MPIDR 0x%llx) is not a pCPU Cloison brought up", i,
        node_name(fdt, cpu), (unsigned long long)mpidr);
    return -1;
}

static bool parse_cpus(struct ctx *c, int node, struct cpupool_dt_pool *pool)
{
    int len;
    const fdt32_t *p = fdt_getprop(c->fdt, node, "cpupool-cpus", &len);
    if (!p) {
        say(c, "property 'cpupool-cpus' missing");
        return false;
    }
    if (len == 0) {
        say(c, "property 'cpupool-cpus' is empty: a pool needs a pCPU");
        return false;
    }
    if (len % 4) {
        say(c, "property 'cpupool-cpus' has %d bytes, not whole phandles", len);
        return false;
    }
    for (unsigned int i = 0; i < (unsigned int)len / 4; i++) {
        int cpu = pcpu_of_cell(c, fdt32_ld(p + i), i);
        if (cpu < 0)
            return false;
        if (c->owner[cpu] >= 0) {
            say(c, "cpupool-cpus[%u]: pCPU%u is already in %s '%s'", i, (unsigned int)cpu,
                c->owner[cpu] == node ? "this pool" : "pool node",
                node_name(c->fdt, c->owner[cpu]));
            return false;
        }
        c->owner[cpu] = node;
        pool->cpus |= 1ULL << cpu;
    }
    return true;
}

static bool parse_sched(struct ctx *c, int node, struct cpupool_dt_pool *pool)
{
    int len;
    const char *s = get_string(c->fdt, node, "cpupool-sched", &len);
    pool->sched = NULL;
    if (len < 0)
        return true;
    if (!s) {
        say(c, "property 'cpupool-sched' is not a scheduler name (a non-empty string)");
        return false;
    }
    if (!c->host->sched_known || !c->host->sched_known(s)) {
        say(c, "property 'cpupool-sched' = \"%.32s\": no such scheduler", s);
        return false;
    }
    pool->sched = s;
    return true;
}

/* A pool's ARINC 653 schedule (cloison,arinc653-*, include/boot/arinc653_dt.h)
 * read through the hook when its scheduler is arinc653, refused otherwise. */
static bool parse_schedule(struct ctx *c, int node, struct cpupool_dt_pool *p,
                           cpupool_dt_sched_hook *hook, void *cookie)
{
    const char *sched = p->sched ? p->sched : c->host->default_sched;
    if (sched && !strcmp(sched, "arinc653"))
        return hook ? hook(c->fdt, node, p, c->report, cookie) : true;
    const char *props[] = {ARINC653_DT_MAJOR_FRAME, ARINC653_DT_SCHEDULE};
    for (unsigned int i = 0; i < 2; i++) {
        if (fdt_getprop(c->fdt, node, props[i], NULL)) {
            say(c, "property '%s' on a pool whose scheduler is %s, not arinc653", props[i],
                sched ? sched : "credit2");
            return false;
        }
    }
    return true;
}

/* Xen's allocation: leftover online pCPUs make one more pool, then the boot
 * pCPU's pool trades ids with pool 0; pools sorted by id. */
static void allocate(const struct ctx *c, struct cpupool_dt *out)
{
    uint64_t claimed = 0;
    for (unsigned int i = 0; i < out->nr; i++)
        claimed |= out->pool[i].cpus;
    uint64_t left = c->host->online & ~claimed;
    if (left) {
        struct cpupool_dt_pool *x = &out->pool[out->nr];
        memset(x, 0, sizeof(*x));
        x->id = out->nr++;
        x->node = -1;
        x->cpus = left;
    }
    for (unsigned int i = 0; i < out->nr; i++) {
        if (!(out->pool[i].cpus & (1ULL << c->host->boot_cpu)) || out->pool[i].id == 0)
            continue;
        uint32_t boot_id = out->pool[i].id;
        out->pool[0].id = boot_id; /* pool[k] has id k before the swap */
        out->pool[i].id = 0;
        struct cpupool_dt_pool t = out->pool[0];
        out->pool[0] = out->pool[i];
        out->pool[i] = t;
        break;
    }
}

/* A domain names its pool by phandle, so two pool nodes sharing one (a tree
 * merged from overlays, a copied node) would send every such domain to the
 * first: refused, as is the reserved ~0. */
static bool phandle_unique(const struct ctx *c, const struct cpupool_dt *t,
                           const struct cpupool_dt_pool *p)
{
    if (p->phandle == ~0U) {
        say(c, "phandle 0x%x is reserved", p->phandle);
        return false;
    }
    for (unsigned int i = 0; p->phandle && i < p->id; i++)
        if (t->pool[i].phandle == p->phandle) {
            say(c, "phandle 0x%x is also %s's", p->phandle, node_name(c->fdt, t->pool[i].node));
            return false;
        }
    return true;
}

int cpupool_dt_parse(const void *fdt, const struct cpupool_dt_host *host, struct cpupool_dt *out,
                     cpupool_dt_sched_hook *hook, void *cookie, void (*report)(const char *msg))
{
    static struct ctx c; /* boot CPU only, or one host thread: too big for a stack */
    int rc = fdt_check_header(fdt), chosen, node;
    bool ok = true;
    if (rc)
        return rc;
    if (host->nr_cpus > CPUPOOL_DT_MAX_CPUS || host->boot_cpu >= host->nr_cpus)
        return -FDT_ERR_BADVALUE;
    memset(&c, 0, sizeof(c));
    c.fdt = fdt;
    c.host = host;
    c.report = report;
    c.cpus = fdt_path_offset(fdt, "/cpus");
    for (unsigned int i = 0; i < CPUPOOL_DT_MAX_CPUS; i++)
        c.owner[i] = -1;
    out->nr = 0;
    chosen = fdt_path_offset(fdt, "/chosen");
    fdt_for_each_subnode(node, fdt, chosen)
    {
        if (chosen < 0 || fdt_node_check_compatible(fdt, node, "xen,cpupool"))
            continue;
        set_path(&c, node);
        if (out->nr >= CPUPOOL_DT_MAX_POOLS - 1) {
            say(&c, "more pool nodes than pCPUs");
            return -1;
        }
        struct cpupool_dt_pool *p = &out->pool[out->nr];
        memset(p, 0, sizeof(*p));
        p->id = out->nr++;
        p->node = node;
        p->phandle = fdt_get_phandle(fdt, node);
        bool good = phandle_unique(&c, out, p);
        good = parse_sched(&c, node, p) && good;
        good = parse_cpus(&c, node, p) && good;
        if (good)
            good = parse_schedule(&c, node, p, hook, cookie);
        ok = ok && good;
    }
    if (!ok)
        return -1;
    allocate(&c, out);
    return (int)out->nr;
}

const char *cpupool_dt_boot_sched(const void *fdt, uint64_t boot_mpidr)
{
    struct ctx c = {.fdt = fdt};
    int chosen, node, len, slen;
    if (fdt_check_header(fdt))
        return NULL;
    c.cpus = fdt_path_offset(fdt, "/cpus");
    chosen = fdt_path_offset(fdt, "/chosen");
    if (c.cpus < 0 || chosen < 0)
        return NULL;
    fdt_for_each_subnode(node, fdt, chosen)
    {
        if (fdt_node_check_compatible(fdt, node, "xen,cpupool"))
            continue;
        const fdt32_t *p = fdt_getprop(fdt, node, "cpupool-cpus", &len);
        for (int i = 0; p && i < len / 4 && i < CPUPOOL_DT_MAX_CPUS; i++) {
            uint32_t ph = fdt32_ld(p + i);
            int cpu = ph && ph != ~0U ? fdt_node_offset_by_phandle(fdt, ph) : -1;
            uint64_t mpidr;
            if (cpu >= 0 && fdt_parent_offset(fdt, cpu) == c.cpus && cpu_reg(&c, cpu, &mpidr) &&
                mpidr == (boot_mpidr & MPIDR_HWID_MASK))
                return get_string(fdt, node, "cpupool-sched", &slen);
        }
    }
    return NULL;
}

const struct cpupool_dt_pool *cpupool_dt_by_phandle(const struct cpupool_dt *t, uint32_t phandle)
{
    for (unsigned int i = 0; phandle && i < t->nr; i++)
        if (t->pool[i].node >= 0 && t->pool[i].phandle == phandle)
            return &t->pool[i];
    return NULL;
}

int cpupool_dt_check_domains(const void *fdt, const struct cpupool_dt *t,
                             void (*report)(const char *msg))
{
    struct ctx c;
    int chosen = fdt_path_offset(fdt, "/chosen"), node, len, bad = 0;
    c.fdt = fdt;
    c.report = report;
    if (chosen < 0)
        return 0;
    fdt_for_each_subnode(node, fdt, chosen)
    {
        if (fdt_node_check_compatible(fdt, node, "xen,domain"))
            continue;
        const fdt32_t *p = fdt_getprop(fdt, node, "domain-cpupool", &len);
        if (!p)
            continue;
        set_path(&c, node);
        if (len != 4) {
            say(&c, "property 'domain-cpupool' must be one phandle, has %d bytes", len);
            bad = -1;
            continue;
        }
        uint32_t ph = fdt32_ld(p);
        if (cpupool_dt_by_phandle(t, ph))
            continue;
        int target = ph && ph != ~0U ? fdt_node_offset_by_phandle(fdt, ph) : -1;
        if (target < 0)
            say(&c, "property 'domain-cpupool': phandle 0x%x names no node", ph);
        else
            say(&c, "property 'domain-cpupool' names '%s', not a xen,cpupool node of /chosen",
                node_name(fdt, target));
        bad = -1;
    }
    return bad;
}
