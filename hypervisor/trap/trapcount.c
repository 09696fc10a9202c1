/*
 * Trap counts by (domain, class, detail): see trap/trapcount.h.
 *
 * Each pCPU has an open-addressed table of TC_SLOTS slots. Only its own
 * pCPU inserts or increments; the reporting pCPU may turn a destroyed
 * domain's slots into tombstones, which is safe because the owner writes a
 * slot only when it holds the owner's key (a domain that no longer runs) or
 * is empty or a tombstone. A full table counts what it cannot place as
 * lost (reported). The 'T' key's reset is done by each owner itself, on its
 * next count, when it sees the epoch changed.
 */
#include <cloison/irq.h>
#include <cloison/percpu.h>
#include <cloison/printk.h>
#include <cloison/spinlock.h>
#include <console/console.h>
#include <core/domain.h>
#include <core/domain_event.h>
#include <core/vcpu.h>
#include <lib/printf.h>
#include <trap/trapcount.h>
#include <xen/hypercall.h>
#include <string.h>

#define TC_SLOTS 256
#define TC_EMPTY 0u
#define TC_TOMB 0xffffffffu
#define NO_DOMAIN 0xffffu

struct tc_slot {
    uint32_t key; /* (domid + 1) << 8 | class; TC_EMPTY, TC_TOMB */
    uint32_t detail;
    uint64_t count;
};

struct tc_table {
    struct tc_slot s[TC_SLOTS];
    uint64_t lost;
    unsigned int epoch;
};

static struct tc_table tables[MAX_PCPUS];
static unsigned int epoch;
bool trapcount_on;

static uint32_t make_key(uint16_t domid, unsigned int cls)
{
    return ((uint32_t)domid + 1) << 8 | (cls & 0xff);
}

static unsigned int slot_of(uint32_t key, uint32_t detail)
{
    return ((key * 0x9e3779b1u) ^ (detail * 0x85ebca6bu)) >> 24; /* 8 bits: TC_SLOTS */
}
_Static_assert(TC_SLOTS == 256, "slot_of() gives 8 bits");

void trapcount(uint16_t domid, unsigned int cls, uint32_t detail)
{
    struct tc_table *t = &tables[this_cpu_id()];
    unsigned int e = __atomic_load_n(&epoch, __ATOMIC_RELAXED);
    if (t->epoch != e) { /* reset asked: the owner clears its own table */
        memset(t->s, 0, sizeof(t->s));
        t->lost = 0;
        t->epoch = e;
    }
    uint32_t key = make_key(domid, cls);
    unsigned int h = slot_of(key, detail), free = TC_SLOTS;
    for (unsigned int n = 0; n < TC_SLOTS; n++, h = (h + 1) % TC_SLOTS) {
        struct tc_slot *s = &t->s[h];
        uint32_t k = __atomic_load_n(&s->key, __ATOMIC_RELAXED);
        if (k == key && s->detail == detail) {
            __atomic_store_n(&s->count, s->count + 1, __ATOMIC_RELAXED);
            return;
        }
        if (k == TC_TOMB && free == TC_SLOTS)
            free = h;
        if (k == TC_EMPTY) {
            if (free == TC_SLOTS)
                free = h;
            break;
        }
    }
    if (free == TC_SLOTS) {
        t->lost++;
        return;
    }
    struct tc_slot *s = &t->s[free];
    s->detail = detail;
    __atomic_store_n(&s->count, 1, __ATOMIC_RELAXED);
    __atomic_store_n(&s->key, key, __ATOMIC_RELEASE); /* readers see detail first */
}

/* A physical interrupt, counted for the domain whose vCPU it interrupted. */
static void count_irq(uint32_t intid)
{
    struct vcpu *v = current_vcpu();
    trapcount(v ? (uint16_t)v->domain->id : NO_DOMAIN, TCC_IRQ, intid);
}

/* ---- reports ---- */

static const char *const class_names[TCC_NR] = {
    [TCC_WFI] = "wfi",   [TCC_WFE] = "wfe",     [TCC_SYSREG] = "sysreg", [TCC_MMIO] = "mmio",
    [TCC_DABT] = "dabt", [TCC_IABT] = "iabt",   [TCC_HVC] = "hvc",       [TCC_SMCCC] = "smccc",
    [TCC_IRQ] = "irq",   [TCC_UNDEF] = "undef", [TCC_SERROR] = "serror",
};

/* Registers guests are known to reach through a trap, by ISS encoding
 * (Op0, Op2, Op1, CRn, CRm as ESR places them; Rt and direction cleared). */
#define ENC(op0, op1, crn, crm, op2)                                         \
    ((uint32_t)(op0) << 20 | (uint32_t)(op2) << 17 | (uint32_t)(op1) << 14 | \
     (uint32_t)(crn) << 10 | (uint32_t)(crm) << 1)
static const struct {
    uint32_t enc;
    const char *name;
} sysreg_names[] = {
    {ENC(3, 0, 1, 0, 1), "ACTLR_EL1"},        {ENC(3, 0, 12, 11, 5), "ICC_SGI1R_EL1"},
    {ENC(3, 0, 12, 11, 6), "ICC_ASGI1R_EL1"}, {ENC(3, 0, 12, 11, 7), "ICC_SGI0R_EL1"},
    {ENC(3, 3, 14, 2, 0), "CNTP_TVAL_EL0"},   {ENC(3, 3, 14, 2, 1), "CNTP_CTL_EL0"},
    {ENC(3, 3, 14, 2, 2), "CNTP_CVAL_EL0"},   {ENC(3, 3, 9, 12, 0), "PMCR_EL0"},
    {ENC(3, 3, 9, 14, 0), "PMUSERENR_EL0"},   {ENC(2, 0, 1, 0, 4), "OSLAR_EL1"},
    {ENC(2, 0, 1, 1, 4), "OSLSR_EL1"},        {ENC(2, 0, 1, 3, 4), "OSDLR_EL1"},
    {ENC(2, 0, 0, 2, 2), "MDSCR_EL1"},        {ENC(3, 0, 0, 0, 6), "REVIDR_EL1"},
    {ENC(3, 1, 0, 0, 7), "AIDR_EL1"},         {ENC(3, 0, 9, 14, 1), "PMINTENSET_EL1"},
    {ENC(3, 0, 9, 14, 2), "PMINTENCLR_EL1"},
};

static void detail_text(unsigned int cls, uint32_t d, char *buf, size_t len)
{
    switch (cls) {
    case TCC_SYSREG: {
        uint32_t enc = d & ~1u;
        const char *name = NULL;
        for (size_t i = 0; i < ARRAY_SIZE(sysreg_names); i++)
            if (sysreg_names[i].enc == enc)
                name = sysreg_names[i].name;
        if (!name && (enc >> 20) == 3 && ((enc >> 14) & 7) == 0 && ((enc >> 10) & 0xf) == 0)
            name = "ID register";
        snprintf(buf, len, "S%u_%u_C%u_C%u_%u %s%s%s", (d >> 20) & 3, (d >> 14) & 7,
                 (d >> 10) & 0xf, (d >> 1) & 0xf, (d >> 17) & 7, d & 1 ? "read" : "write",
                 name ? " " : "", name ? name : "");
        break;
    }
    case TCC_MMIO:
        snprintf(buf, len, "window@0x%lx", (uint64_t)d << 12);
        break;
    case TCC_HVC: {
        const char *name = hypercall_name(d);
        snprintf(buf, len, "%u %s", d, name ? name : "?");
        break;
    }
    case TCC_SMCCC:
        snprintf(buf, len, "fn 0x%x", d);
        break;
    case TCC_IRQ:
        snprintf(buf, len, "intid %u%s", d,
                 d == IRQ_SGI_KICK       ? " (kick SGI)"
                 : d == IRQ_SGI_CALL     ? " (call SGI)"
                 : d == IRQ_PPI_MAINT    ? " (GIC maintenance)"
                 : d == IRQ_PPI_HYPTIMER ? " (hypervisor timer)"
                 : d == IRQ_PPI_VTIMER   ? " (virtual timer)"
                 : d == IRQ_PPI_PTIMER   ? " (EL1 physical timer)"
                                         : "");
        break;
    case TCC_DABT:
        snprintf(buf, len, "%s", d ? "abort injected" : "retried (break-before-make)");
        break;
    case TCC_UNDEF:
        snprintf(buf, len, "EC 0x%x", d);
        break;
    default:
        buf[0] = '\0';
    }
}

/* One domain's counts summed over the pCPUs (under report_lock). */
#define TC_MERGED (TC_SLOTS * 2)
static struct {
    uint8_t cls;
    uint32_t detail;
    uint64_t count;
} merged[TC_MERGED];
static unsigned int nr_merged;
static spinlock_t report_lock = SPINLOCK_INIT;

static void merge_domain(uint16_t domid)
{
    nr_merged = 0;
    for (unsigned int c = 0; c < nr_pcpus; c++) {
        const struct tc_table *t = &tables[c];
        if (t->epoch != __atomic_load_n(&epoch, __ATOMIC_RELAXED))
            continue; /* reset, its owner has not cleared it yet */
        for (unsigned int i = 0; i < TC_SLOTS; i++) {
            uint32_t k = __atomic_load_n(&t->s[i].key, __ATOMIC_ACQUIRE);
            if (k == TC_EMPTY || k == TC_TOMB || (k >> 8) != (uint32_t)domid + 1)
                continue;
            uint8_t cls = k & 0xff;
            uint32_t d = t->s[i].detail;
            uint64_t n = __atomic_load_n(&t->s[i].count, __ATOMIC_RELAXED);
            unsigned int j = 0;
            while (j < nr_merged && (merged[j].cls != cls || merged[j].detail != d))
                j++;
            if (j == nr_merged) {
                if (nr_merged == TC_MERGED)
                    continue;
                merged[nr_merged].cls = cls;
                merged[nr_merged].detail = d;
                merged[nr_merged].count = 0;
                nr_merged++;
            }
            merged[j].count += n;
        }
    }
    /* By count, largest first (insertion sort: a few dozen entries). */
    for (unsigned int i = 1; i < nr_merged; i++)
        for (unsigned int j = i; j > 0 && merged[j].count > merged[j - 1].count; j--) {
            __typeof__(merged[0]) tmp = merged[j];
            merged[j] = merged[j - 1];
            merged[j - 1] = tmp;
        }
}

static void class_totals(uint64_t tot[TCC_NR])
{
    memset(tot, 0, sizeof(uint64_t) * TCC_NR);
    for (unsigned int i = 0; i < nr_merged; i++)
        if (merged[i].cls < TCC_NR)
            tot[merged[i].cls] += merged[i].count;
}

static void print_domain(uint16_t domid, bool full)
{
    char dom[12], line[160], det[64];
    if (domid == NO_DOMAIN)
        snprintf(dom, sizeof(dom), "idle");
    else
        snprintf(dom, sizeof(dom), "d%u", domid);
    merge_domain(domid);
    uint64_t tot[TCC_NR], all = 0;
    class_totals(tot);
    size_t n = (size_t)snprintf(line, sizeof(line), "trap counts %s:", dom);
    for (unsigned int c = 1; c < TCC_NR; c++) {
        all += tot[c];
        if (tot[c] && n < sizeof(line))
            n += (size_t)snprintf(line + n, sizeof(line) - n, " %s=%lu", class_names[c], tot[c]);
    }
    printk("%s total=%lu", line, all);
    unsigned int shown = full ? nr_merged : MIN(nr_merged, 6u);
    for (unsigned int i = 0; i < shown; i++) {
        detail_text(merged[i].cls, merged[i].detail, det, sizeof(det));
        const char *cls = merged[i].cls < TCC_NR ? class_names[merged[i].cls] : NULL;
        printk("  %s %s%s%s: %lu", dom, cls ? cls : "?", det[0] ? " " : "", det, merged[i].count);
    }
}

/* Every domain (and the idle loop) with counts, then the lost total. */
static void key_counts(void)
{
    if (!trapcount_on) {
        printk("trap counts: off (boot option trapcount)");
        printk("trap counts end");
        return;
    }
    static uint16_t seen[64];
    unsigned int nr_seen = 0;
    uint64_t lost = 0;
    spin_lock(&report_lock);
    for (unsigned int c = 0; c < nr_pcpus; c++) {
        lost += tables[c].lost;
        for (unsigned int i = 0; i < TC_SLOTS; i++) {
            uint32_t k = __atomic_load_n(&tables[c].s[i].key, __ATOMIC_ACQUIRE);
            if (k == TC_EMPTY || k == TC_TOMB)
                continue;
            uint16_t d = (uint16_t)((k >> 8) - 1);
            unsigned int j = 0;
            while (j < nr_seen && seen[j] != d)
                j++;
            if (j == nr_seen && nr_seen < ARRAY_SIZE(seen))
                seen[nr_seen++] = d;
        }
    }
    for (unsigned int j = 0; j < nr_seen; j++)
        print_domain(seen[j], true);
    spin_unlock(&report_lock);
    printk("trap counts end (%lu not counted: tables full)", lost);
}

static void key_reset(void)
{
    __atomic_fetch_add(&epoch, 1, __ATOMIC_RELAXED);
    printk("trap counts reset");
}

/* A destroyed domain: its summary, then its slots are freed for others. */
static void domain_event(enum domain_event ev, uint16_t domid, struct domain *d)
{
    (void)d;
    if (ev != DOMAIN_DESTROYED)
        return;
    spin_lock(&report_lock);
    print_domain(domid, false);
    uint32_t id = (uint32_t)domid + 1;
    for (unsigned int c = 0; c < nr_pcpus; c++)
        for (unsigned int i = 0; i < TC_SLOTS; i++) {
            struct tc_slot *s = &tables[c].s[i];
            uint32_t k = __atomic_load_n(&s->key, __ATOMIC_RELAXED);
            if (k != TC_EMPTY && k != TC_TOMB && (k >> 8) == id)
                __atomic_store_n(&s->key, TC_TOMB, __ATOMIC_RELAXED);
        }
    spin_unlock(&report_lock);
}

void trapcount_init(bool on)
{
    trapcount_on = on;
    console_register_key('t', key_counts, "trap counts per domain by class and detail");
    console_register_key('T', key_reset, "reset the trap counts");
    if (!on)
        return;
    irq_set_observer(count_irq);
    domain_add_event_listener(domain_event);
}
