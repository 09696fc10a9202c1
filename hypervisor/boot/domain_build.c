/*
 * Building a domain from its boot description: core creates it, its images
 * are loaded here (or by boot/dom0_build.c for dom0), then core starts it.
 *
 * A domain's boot images (its RAM comes from core/domain_ram_alloc.c): a
 * 64-bit kernel at RAM base + text_offset, the initrd and the generated
 * device tree at the top of RAM; a 32-bit zImage (which makes the domain
 * AArch32) as Xen places it, the device tree and initrd above it; all written through the domain's own RAM chunks and
 * cleaned to the point of coherency so a guest starting with its MMU and
 * caches off sees them.
 */
#include <libfdt.h>
#include <cloison/arch.h>
#include <core/cpupool.h>
#include <core/domain.h>
#include <core/vcpu.h>
#include <boot/domain_build.h>
#include <boot/dom0_build.h>
#include <boot/setup.h>
#include <core/domain_cfg.h>
#include <cloison/errno.h>
#include <boot/guestdt.h>
#include <boot/image.h>
#include <asm/cpu.h>
#include <drivers/irqchip.h>
#include <cloison/mm.h>
#include <cloison/p2m.h>
#include <cloison/printk.h>
#include <core/timer.h>
#include <string.h>

#define DTB_MAX (64 * 1024)

/* RAM the domain never used is zeroed when first looked up (lazy mapping,
 * core/domain_ram.h): look up every page about to be written, so that the
 * zeroing comes before the write, never after it. */
static bool ready(struct domain *d, ipa_t ipa, uint64_t len)
{
    paddr_t pa;
    enum p2m_type t;
    for (ipa_t p = ipa & PAGE_MASK; p < ipa + len; p += PAGE_SIZE)
        if (!p2m_lookup(&d->p2m, p, &pa, &t))
            return false;
    return true;
}

/*
 * Write n bytes at ipa, inside one RAM chunk starting at IPA cipa and PA cpa.
 * A lazy block the write covers whole is filled without being zeroed first
 * (p2m_fill_lazy: a kernel image is tens of such blocks); the rest is
 * readied, then written.
 */
static int write_in_chunk(struct domain *d, ipa_t cipa, paddr_t cpa, ipa_t ipa, const uint8_t *s,
                          uint64_t n)
{
    while (n) {
        uint64_t done = p2m_fill_lazy(&d->p2m, ipa, s, n);
        if (!done) {
            done = MIN(n, SZ_2M - (ipa & (SZ_2M - 1))); /* up to the next block */
            if (!ready(d, ipa, done))
                return -EINVAL;
            void *dst = phys_to_virt(cpa + (ipa - cipa));
            memcpy(dst, s, done);
            arch_dcache_clean_range(dst, done);
        }
        s += done;
        ipa += done;
        n -= done;
    }
    return 0;
}

int domain_write_ipa(struct domain *d, ipa_t ipa, const void *src, uint64_t len)
{
    const uint8_t *s = src;
    if (ipa + len < ipa)
        return -EINVAL;
    /* Chunks are in IPA order within each bank. */
    for (size_t i = 0; i < d->nr_ram_chunks && len; i++) {
        const struct ram_chunk *c = &d->ram_chunks[i];
        uint64_t csize = PAGE_SIZE << c->order;
        if (ipa < c->ipa || ipa >= c->ipa + csize)
            continue;
        uint64_t n = MIN(len, c->ipa + csize - ipa);
        int rc = write_in_chunk(d, c->ipa, c->pa, ipa, s, n);
        if (rc)
            return rc;
        s += n;
        ipa += n;
        len -= n;
    }
    return len ? -EINVAL : 0;
}

/*
 * Where the device tree goes in RAM ending at top: the top 2 MiB-aligned
 * slot, as always, when that leaves the kernel (ending at kend) alone; in a
 * smaller domain the top DTB_MAX bytes, page-aligned and moved down if they
 * would cross a 2 MiB boundary (Linux's booting.txt: the DTB must not).
 * The caller checks the result against the kernel.
 */
static uint64_t dtb_slot(uint64_t top, uint64_t kend)
{
    uint64_t dtb = ALIGN_DOWN(top - DTB_MAX, SZ_2M);
    if (dtb >= kend)
        return dtb;
    dtb = ALIGN_DOWN(top - DTB_MAX, PAGE_SIZE);
    uint64_t boundary = ALIGN_DOWN(dtb + DTB_MAX - 1, SZ_2M);
    return boundary > dtb ? boundary - DTB_MAX : dtb;
}

/* A zImage: make every vCPU AArch32 and place it as Xen does (image.h). */
static int place_zimage(struct domain *d, const struct image_info *info, uint64_t modsize,
                        uint64_t *kbase, uint64_t *modbase)
{
    if (!cpu_caps.el1_aarch32) {
        printk("d%u: the kernel is a 32-bit zImage, but this CPU has no AArch32 at EL1", d->id);
        return -EINVAL;
    }
    struct zimage_layout l;
    if (!zimage_place(d->ram_base, d->ram_size, info->zimage_start, info->image_size, modsize,
                      &l)) {
        printk("d%u: %lu KiB of RAM cannot hold the zImage (%lu KiB, start 0x%x) and its modules",
               d->id, d->ram_size >> 10, info->image_size >> 10, info->zimage_start);
        return -ENOMEM;
    }
    for (unsigned int i = 0; i < d->nr_vcpus; i++)
        d->vcpus[i]->arch.aarch32 = true;
    *kbase = l.kernel;
    *modbase = l.modbase;
    return 0;
}

/* Where a domU's images go in its RAM (the kernel is copied kcopy bytes). */
struct image_plan {
    uint64_t kbase, kcopy, initrd, dtb;
    bool aarch32;
};

static int plan_images(struct domain *d, const struct domain_cfg *cfg, struct image_plan *pl)
{
    const void *kimg = phys_to_virt(cfg->kernel.start);
    struct image_info info;
    enum image_result ir = image_probe(kimg, cfg->kernel.size, &info);
    if (ir != IMAGE_OK) {
        printk("d%u: kernel image at 0x%lx is not loadable: %s", d->id, cfg->kernel.start,
               image_result_str(ir));
        return -EINVAL;
    }
    pl->kcopy = cfg->kernel.size;
    pl->aarch32 = info.is_zimage;
    if (info.is_zimage) {
        /* DTB first, the initrd after it, both above the kernel when they fit. */
        uint64_t modbase;
        int zr = place_zimage(d, &info, DTB_MAX + ALIGN_UP(cfg->ramdisk.size, PAGE_SIZE),
                              &pl->kbase, &modbase);
        if (zr)
            return zr;
        pl->kcopy = info.image_size;
        pl->dtb = modbase;
        pl->initrd = modbase + DTB_MAX;
        return 0;
    }
    pl->kbase = d->ram_base + info.text_offset;
    uint64_t kend = pl->kbase + MAX(info.image_size, cfg->kernel.size);
    uint64_t top = d->ram_base + d->ram_size;
    /* DTB below the top, initrd just below it. */
    pl->dtb = dtb_slot(top, kend);
    pl->initrd = ALIGN_DOWN(pl->dtb - cfg->ramdisk.size, PAGE_SIZE);
    if (top - d->ram_base < DTB_MAX || pl->dtb < kend ||
        (cfg->ramdisk.size && (pl->initrd < kend || pl->initrd > pl->dtb))) {
        printk("d%u: %lu KiB of RAM cannot hold the kernel (%lu KiB)%s", d->id, d->ram_size >> 10,
               (kend - d->ram_base) >> 10, cfg->ramdisk.size ? " and its ramdisk" : "");
        return -ENOMEM;
    }
    return 0;
}

/* The guest's device tree, built and written to its slot; then the
 * instruction cache forgets whatever the RAM held before. */
static int write_dt(struct domain *d, const struct domain_cfg *cfg, const struct image_plan *pl)
{
    void *buf = xzalloc(DTB_MAX);
    if (!buf)
        return -ENOMEM;
    struct guestdt_params p = {
        .gic_version = irqchip_info()->version,
        .nr_vcpus = d->nr_vcpus,
        .ram_base = d->ram_base,
        .ram_size = d->ram_size,
        .ram1_base = GUEST_RAM1_BASE,
        .ram1_size = d->ram1_size,
        .bootargs = cfg->bootargs,
        .initrd_start = cfg->ramdisk.size ? pl->initrd : 0,
        .initrd_size = cfg->ramdisk.size,
        .vpl011 = cfg->vpl011,
        .hypervisor_node = d->xen_enhanced,
        .timer_freq = 0,
        .aarch32 = pl->aarch32,
    };
    /* libfdt clobbers FP/SIMD registers, which may hold a running vCPU's state. */
    struct fp_regs *fp = xmalloc(sizeof(*fp));
    if (!fp) {
        xfree(buf);
        return -ENOMEM;
    }
    arch_fp_save(fp);
    int rc = guestdt_build(buf, DTB_MAX, &p);
    arch_fp_restore(fp);
    xfree(fp);
    if (rc)
        printk("d%u: cannot build the guest device tree (libfdt error %d)", d->id, rc);
    else
        /* Only the tree: libfdt's sequential writer leaves a stale copy of the
         * strings block past fdt_totalsize, and the rest of the slot is the
         * guest's RAM, zeroed (a guest sees none of the builder's scraps). */
        rc = domain_write_ipa(d, pl->dtb, buf, fdt_totalsize(buf));
    xfree(buf);
    arch_icache_invalidate_all();
    return rc;
}

int domain_load_images(struct domain *d, const struct domain_cfg *cfg, uint64_t *entry,
                       uint64_t *dtb)
{
    struct image_plan pl;
    int rc = plan_images(d, cfg, &pl);
    if (!rc)
        rc = domain_write_ipa(d, pl.kbase, phys_to_virt(cfg->kernel.start), pl.kcopy);
    if (!rc && cfg->ramdisk.size)
        rc = domain_write_ipa(d, pl.initrd, phys_to_virt(cfg->ramdisk.start), cfg->ramdisk.size);
    if (!rc)
        rc = write_dt(d, cfg, &pl);
    *entry = pl.kbase;
    *dtb = pl.dtb;
    return rc;
}

/* Its pool, before it runs (boot/setup.c made the pools and checked the
 * domains' references to them). */
static int place_in_pool(struct domain *d, const struct domain_cfg *cfg)
{
    struct cpupool *p = cpupool_by_id(cfg->cpupool_id);
    if (!p)
        return -ESRCH;
    return p == cpupool0() ? 0 : cpupool_move_domain(d, p);
}

struct domain *domain_build(const struct domain_cfg *cfg)
{
    struct domain *d = domain_create(cfg);
    if (!d)
        return NULL;
    uint64_t entry, dtb;
    int rc = place_in_pool(d, cfg);
    if (!rc)
        rc = cfg->is_dom0 ? dom0_build(d, cfg, host_fdt, &hv_opts, &entry, &dtb)
                          : domain_load_images(d, cfg, &entry, &dtb);
    if (rc) {
        printk("%s: domain not created (error %d)", cfg->name, rc);
        domain_discard(d);
        return NULL;
    }
    d->rebuild = domain_rebuild_step; /* on_*=restart: the same again */
    domain_start(d, entry, dtb);
    return d;
}

/*
 * A restart in bounded steps (core/domain.h, struct domain_rebuild): the
 * domain is created (its RAM mapped lazily: nothing zeroed yet), then each
 * step copies at most `budget` bytes, of the kernel, then of the initrd,
 * zeroing the blocks they land in (at most two per step); the last builds
 * the device tree (64 KiB) and starts it. Nothing can see or run the domain
 * before that step. dom0 (direct-mapped, built by boot/dom0_build.c) is
 * rebuilt whole in one step.
 */
enum { RB_CREATE, RB_KERNEL, RB_INITRD, RB_START };
/* rb->layout: the image plan. */
enum { L_KBASE, L_KCOPY, L_INITRD, L_DTB, L_AARCH32 };

/* Copy the next at most budget bytes of [src, src + len) to ipa; *done once all are. */
static int copy_step(struct domain_rebuild *rb, ipa_t ipa, paddr_t src, uint64_t len,
                     uint64_t budget, bool *done)
{
    uint64_t n = MIN(budget, len - rb->pos);
    int rc = domain_write_ipa(rb->d, ipa + rb->pos, phys_to_virt(src + rb->pos), n);
    rb->pos += n;
    *done = rb->pos == len;
    return rc;
}

int domain_rebuild_step(struct domain_rebuild *rb, uint64_t budget)
{
    const struct domain_cfg *cfg = &rb->cfg;
    uint64_t *l = rb->layout;
    bool done = false;
    int rc = 0;
    switch (rb->phase) {
    case RB_CREATE: {
        if (cfg->is_dom0)
            return domain_build(cfg) ? 0 : -ENOMEM;
        rb->d = domain_create(cfg);
        if (!rb->d)
            return -ENOMEM; /* reported */
        struct image_plan pl;
        rc = place_in_pool(rb->d, cfg);
        if (!rc)
            rc = plan_images(rb->d, cfg, &pl);
        if (rc)
            break;
        l[L_KBASE] = pl.kbase;
        l[L_KCOPY] = pl.kcopy;
        l[L_INITRD] = pl.initrd;
        l[L_DTB] = pl.dtb;
        l[L_AARCH32] = pl.aarch32;
        rb->pos = 0;
        rb->phase = RB_KERNEL;
        return 1;
    }
    case RB_KERNEL:
        rc = copy_step(rb, l[L_KBASE], cfg->kernel.start, l[L_KCOPY], budget, &done);
        if (!rc && done) {
            rb->pos = 0;
            rb->phase = cfg->ramdisk.size ? RB_INITRD : RB_START;
        }
        if (!rc)
            return 1;
        break;
    case RB_INITRD:
        rc = copy_step(rb, l[L_INITRD], cfg->ramdisk.start, cfg->ramdisk.size, budget, &done);
        if (!rc && done)
            rb->phase = RB_START;
        if (!rc)
            return 1;
        break;
    default: {
        struct image_plan pl = {l[L_KBASE], l[L_KCOPY], l[L_INITRD], l[L_DTB], l[L_AARCH32]};
        rc = write_dt(rb->d, cfg, &pl);
        if (rc)
            break;
        rb->d->rebuild = domain_rebuild_step;
        domain_start(rb->d, pl.kbase, pl.dtb);
        rb->d = NULL;
        return 0;
    }
    }
    printk("%s: domain not created (error %d)", cfg->name, rc);
    domain_discard(rb->d);
    rb->d = NULL;
    return rc;
}
