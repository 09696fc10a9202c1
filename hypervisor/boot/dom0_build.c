/*
 * dom0: the control domain. Its RAM is direct-mapped (guest physical ==
 * host physical, so DMA by passed-through devices works without an IOMMU),
 * its device tree is the host's minus what Cloison owns, and every device
 * left in that tree is mapped 1:1 into its stage 2, its SPIs routed to dom0's
 * vGIC (vdev/vgic-hw.c).
 */
#include <cloison/arch.h>
#include <boot/bootargs.h>
#include <boot/dom0_build.h>
#include <boot/dom0_dt.h>
#include <core/domain.h>
#include <core/domain_ram.h>
#include <boot/domain_build.h>
#include <cloison/errno.h>
#include <boot/image.h>
#include <drivers/irqchip.h>
#include <cloison/mm.h>
#include <cloison/percpu.h>
#include <cloison/printk.h>
#include <drivers/uart.h>
#include <core/vcpu.h>
#include <vdev/vgic.h>
#include <libfdt.h>
#include <string.h>

#define DOM0_DEFAULT_MEM (512UL << 20)
#define DOM0_MIN_ORDER 9  /* 2 MiB: Linux wants its image 2 MiB aligned */
#define DOM0_MAX_ORDER 18 /* 1 GiB */
#define DOM0_DTB_MAX (256 * 1024)
#define DOM0_EVTCHN_PPI 31
#define GNTTAB_MAX_FRAMES 64

extern char _head[], _end[];

/* Grab RAM in naturally aligned power-of-two blocks, largest first; each
 * block is mapped 1:1 and becomes (part of) a bank in dom0's memory node.
 * Mapped lazily, as a domU's (core/domain_ram.h): each 2 MiB is zeroed when
 * dom0 or the hypervisor first uses it. */
static int alloc_direct_ram(struct domain *d, uint64_t bytes, struct dom0_dt_params *p)
{
    size_t max_chunks = 64;
    d->ram_chunks = xzalloc(max_chunks * sizeof(struct ram_chunk));
    if (!d->ram_chunks)
        return -ENOMEM;
    uint64_t left = ALIGN_UP(bytes, PAGE_SIZE << DOM0_MIN_ORDER);
    while (left) {
        unsigned int order = DOM0_MAX_ORDER;
        while (order > DOM0_MIN_ORDER && (PAGE_SIZE << order) > left)
            order--;
        paddr_t pa = 0;
        for (; !pa && order >= DOM0_MIN_ORDER; order--) {
            pa = page_alloc_guest_lazy(order); /* leaves the hypervisor's reserve */
            if (pa)
                break;
        }
        if (!pa || d->nr_ram_chunks == max_chunks)
            return -ENOMEM;
        d->ram_chunks[d->nr_ram_chunks++] = (struct ram_chunk){pa, pa, order};
        int rc = p2m_map(&d->p2m, pa, pa, PAGE_SIZE << order, P2M_RAM_LAZY);
        if (rc)
            return rc;
        left -= PAGE_SIZE << order;
    }
    /* Banks: chunks sorted by address, adjacent ones merged. */
    for (size_t i = 1; i < d->nr_ram_chunks; i++)
        for (size_t j = i; j > 0 && d->ram_chunks[j].pa < d->ram_chunks[j - 1].pa; j--) {
            struct ram_chunk t = d->ram_chunks[j];
            d->ram_chunks[j] = d->ram_chunks[j - 1];
            d->ram_chunks[j - 1] = t;
        }
    p->nr_banks = 0;
    for (size_t i = 0; i < d->nr_ram_chunks; i++) {
        uint64_t base = d->ram_chunks[i].pa, size = PAGE_SIZE << d->ram_chunks[i].order;
        unsigned int n = p->nr_banks;
        if (n && p->bank_base[n - 1] + p->bank_size[n - 1] == base) {
            p->bank_size[n - 1] += size;
        } else {
            if (n == DOM0_MAX_BANKS)
                return -ENOMEM;
            p->bank_base[n] = base;
            p->bank_size[n] = size;
            p->nr_banks++;
        }
    }
    d->ram_base = p->bank_base[0];
    d->ram_size = bytes;
    return domain_ram_index(d);
}

static void map_mmio(void *ctx, uint64_t base, uint64_t size)
{
    struct domain *d = ctx;
    uint64_t start = ALIGN_DOWN(base, PAGE_SIZE), end = ALIGN_UP(base + size, PAGE_SIZE);
    if (mm_overlaps_ram(start, end - start)) {
        printk("d0: device range 0x%lx+0x%lx overlaps RAM: not passed through", base, size);
        return;
    }
    int rc = p2m_map(&d->p2m, start, start, end - start, P2M_DEVICE);
    if (rc)
        printk("d0: cannot pass through MMIO 0x%lx+0x%lx (%d)", base, size, rc);
}

static void route_spi(void *ctx, uint32_t intid)
{
    struct domain *d = ctx;
    /* The hypervisor console's UART node is not in dom0's tree; this is the
     * belt to those braces. */
    if (intid == uart_irq())
        return;
    int rc = vgic_route_spi(d, intid);
    if (rc)
        printk("d0: cannot pass through SPI %u (%d)", intid, rc);
}

#define V2M_MSI_TYPER 0x008 /* [25:16] first SPI, [9:0] number of SPIs */

/* A GICv2m frame: dom0 gets its registers and every SPI it can raise, so
 * MSIs of dom0's PCI devices arrive as those SPIs (edge, configured by dom0
 * through its vGIC like any routed SPI). */
static void pass_v2m(void *ctx, const struct dom0_v2m *f)
{
    struct domain *d = ctx;
    uint32_t first = f->base_spi, n = f->nr_spis;
    if (!n) {
        const volatile uint32_t *frame = ioremap(f->base, PAGE_SIZE);
        if (!frame) {
            printk("d0: GICv2m frame at 0x%lx: cannot read it, not passed through", f->base);
            return;
        }
        uint32_t typer = frame[V2M_MSI_TYPER / 4];
        first = (typer >> 16) & 0x3ff;
        n = typer & 0x3ff;
    }
    if (first < 32 || n == 0 || first + n > irqchip_info()->nr_irqs) {
        printk("d0: GICv2m frame at 0x%lx: SPIs %u+%u outside the GIC, not passed through", f->base,
               first, n);
        return;
    }
    map_mmio(d, f->base, f->size);
    for (uint32_t i = 0; i < n; i++)
        route_spi(d, first + i);
    printk("d0: GICv2m frame at 0x%lx passed through, MSIs on SPIs %u-%u", f->base, first,
           first + n - 1);
}

/* The bank that holds the kernel: the first one large enough. */
static int pick_bank(const struct dom0_dt_params *p, uint64_t need)
{
    for (unsigned int i = 0; i < p->nr_banks; i++)
        if (p->bank_size[i] >= need)
            return (int)i;
    return -1;
}

/* dom0's device tree, derived from the host's into a new buffer (the
 * caller's to free), and every device left in it mapped and routed to dom0.
 * NULL if memory runs out; else the buffer, with *rc 0 or libfdt's error. */
static void *derive_dt_and_pass_devices(struct domain *d, const void *host_fdt,
                                        struct dom0_dt_params *p, int *rc)
{
    /* Room for the host tree plus what is added (QEMU pads its tree to 1 MiB;
     * the result is packed). */
    size_t dtb_room = fdt_totalsize(host_fdt) + 64 * 1024;
    void *buf = xzalloc(dtb_room);
    struct fp_regs *fp = xmalloc(sizeof(*fp));
    if (!buf || !fp) {
        xfree(buf);
        xfree(fp);
        return NULL;
    }
    arch_fp_save(fp); /* libfdt uses FP/SIMD */
    *rc = dom0_dt_build(host_fdt, buf, dtb_room, p);
    if (!*rc && fdt_totalsize(buf) > DOM0_DTB_MAX)
        *rc = -FDT_ERR_NOSPACE;
    if (!*rc) {
        dom0_dt_for_each_mmio(buf, map_mmio, d);
        /* Their interrupts follow the devices; the INTx of a PCIe bridge
         * are only in its interrupt-map. */
        dom0_dt_for_each_spi(buf, route_spi, d);
        dom0_dt_for_each_map_spi(buf, route_spi, d);
        dom0_dt_for_each_v2m(buf, pass_v2m, d);
    }
    arch_fp_restore(fp);
    xfree(fp);
    return buf;
}

int dom0_build(struct domain *d, const struct domain_cfg *cfg, const void *host_fdt,
               const struct hv_options *opts, uint64_t *entry, uint64_t *dtb)
{
    struct dom0_dt_params p;
    memset(&p, 0, sizeof(p));
    uint64_t bytes = opts->dom0_mem_set ? opts->dom0_mem : DOM0_DEFAULT_MEM;
    if (!opts->dom0_mem_set)
        printk("d0: dom0_mem not given, using %lu MiB", bytes >> 20);
    int rc = alloc_direct_ram(d, bytes, &p);
    if (rc) {
        printk("d0: cannot allocate %lu MiB of direct-mapped RAM", bytes >> 20);
        return rc;
    }
    const void *kimg = phys_to_virt(cfg->kernel.start);
    struct image_info info;
    enum image_result ir = image_probe(kimg, cfg->kernel.size, &info);
    if (ir != IMAGE_OK) {
        printk("d0: kernel image not loadable: %s", image_result_str(ir));
        return -EINVAL;
    }
    if (info.is_zimage) {
        printk("d0: kernel is a 32-bit zImage: dom0 must be 64-bit");
        return -EINVAL;
    }
    uint64_t ksize = MAX(info.image_size, cfg->kernel.size);
    int b = pick_bank(&p, info.text_offset + ksize + 2 * SZ_2M + DOM0_DTB_MAX + cfg->ramdisk.size);
    if (b < 0) {
        printk("d0: no RAM bank can hold the kernel, its ramdisk and device tree");
        return -ENOMEM;
    }
    uint64_t base = p.bank_base[b], top = base + p.bank_size[b];
    uint64_t kbase = base + info.text_offset;
    /* DTB and initrd at +128 MiB when the bank has room, else at its top, as Xen. */
    uint64_t mod = base + (128UL << 20);
    if (mod < ALIGN_UP(kbase + ksize, SZ_2M) || mod + DOM0_DTB_MAX + cfg->ramdisk.size > top)
        mod = ALIGN_DOWN(top - DOM0_DTB_MAX - ALIGN_UP(cfg->ramdisk.size, SZ_2M), SZ_2M);
    uint64_t dtb_pa = mod, initrd_pa = ALIGN_UP(mod + DOM0_DTB_MAX, PAGE_SIZE);

    p.nr_vcpus = d->nr_vcpus;
    p.bootargs = cfg->bootargs;
    p.initrd_start = cfg->ramdisk.size ? initrd_pa : 0;
    p.initrd_size = cfg->ramdisk.size;
    p.gnttab_base = (uint64_t)_head; /* never RAM from dom0's point of view (as Xen) */
    p.gnttab_size = MIN((uint64_t)GNTTAB_MAX_FRAMES * PAGE_SIZE,
                        ALIGN_DOWN((uint64_t)(_end - _head), PAGE_SIZE));
    p.evtchn_ppi = DOM0_EVTCHN_PPI;
    p.hv_uart = uart_phys_base();

    void *buf = derive_dt_and_pass_devices(d, host_fdt, &p, &rc);
    if (!buf)
        return -ENOMEM;
    if (rc) {
        printk("d0: cannot derive the device tree (libfdt error %d)", rc);
    } else {
        rc = domain_write_ipa(d, kbase, kimg, cfg->kernel.size);
        if (!rc && cfg->ramdisk.size)
            rc =
                domain_write_ipa(d, initrd_pa, phys_to_virt(cfg->ramdisk.start), cfg->ramdisk.size);
        if (!rc)
            rc = domain_write_ipa(d, dtb_pa, buf, fdt_totalsize(buf));
    }
    xfree(buf);
    *entry = kbase;
    *dtb = dtb_pa;
    return rc;
}

unsigned int dom0_nr_vcpus(const struct hv_options *opts)
{
    unsigned int n = opts->dom0_max_vcpus ? opts->dom0_max_vcpus : nr_pcpus;
    return MIN(n, (unsigned int)DOMAIN_MAX_VCPUS);
}
