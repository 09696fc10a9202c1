/*
 * Boot: from the loader's hand-off to the scheduler.
 * Boot CPU: early MMU, console, memory, interrupt controller, stage-2 setup,
 * secondary CPUs, then the dom0less domains from the device tree.
 */
#include <cloison/arch.h>
#include <cloison/errno.h>
#include <boot/bootargs.h>
#include <boot/compose.h>
#include <console/console.h>
#include <core/cpupool.h>
#include <core/domain.h>
#include <boot/cpupool_dt.h>
#include <boot/fdt_validate.h>
#include <core/domain_cfg.h>
#include <boot/dom0_build.h>
#include <boot/dom0_dt.h>
#include <boot/domain_build.h>
#include <boot/setup.h>
#include <boot/boot_modules.h>
#include <core/mm_layout.h>
#include <cloison/host_psci.h>
#include <drivers/irqchip.h>
#include <cloison/mm.h>
#include <cloison/p2m.h>
#include <cloison/percpu.h>
#include <cloison/printk.h>
#include <boot/arinc653_pools.h>
#include <core/sched.h>
#include <lib/sched_policy.h>
#include <core/timer.h>
#include <trap/trapcount.h>
#include <trap/traps.h>
#include <drivers/uart.h>
#include <vdev/vgic.h>
#include <vdev/vtimer.h>
#include <xen/xen_version.h>
#include <libfdt.h>
#include <lib/printf.h>
#include <stdarg.h>
#include <string.h>

void boot_cpu_main(void *fdt, uint64_t load_addr, uint64_t link_addr) __noreturn;

/* One boot domain at a time: domain_create() keeps its own copy. */
static struct domain_cfg boot_cfg;
/* The boot pools, for the domains' domain-cpupool (build_boot_domain). */
static struct cpupool_dt boot_pools;
struct hv_options hv_opts;
const void *host_fdt;

/* The layers above arch/ and drivers/ register what those call upward: the
 * exception vectors' handlers, the interrupts each owns; and the guests' ID
 * registers are built from the boot CPU's. Boot CPU, after its own setup,
 * before any pCPU takes an exception. */
static void attach_layers(void)
{
    traps_init();
    trapcount_init(hv_opts.trapcount);
    timer_irq_init();
    vgic_init();
    vtimer_init();
    idregs_init();
    console_input_init(hv_opts.conswitch_to_dom0);
}

/* sched= (Xen's names): pool 0's policy. A scheduler Cloison lacks is
 * said so, and the default (credit2) runs, as Xen does with a name it
 * does not know. */
static void sched_choose(const struct hv_options *o)
{
    static const char *const names[] = {[HV_SCHED_CREDIT2] = "credit2",
                                        [HV_SCHED_CREDIT] = "credit",
                                        [HV_SCHED_NULL] = "null",
                                        [HV_SCHED_ARINC653] = "arinc653",
                                        [HV_SCHED_RTDS] = "rtds"};
    const char *name = names[o->sched];
    const struct sched_policy *pol = sched_policy_by_name(name);
    if (!pol) {
        printk("sched=%s: Cloison has no such scheduler; using credit2", name);
        pol = &sched_credit2;
    }
    sched_set_default_policy(pol);
    /* Always said, the default too, as Xen's "Using scheduler": a log shows
     * what ran without knowing the default. */
    printk("scheduler: %s", pol->name);
}

/*
 * The p2m_pages option, or the board's default: QEMU's virt board (root
 * compatible "linux,dummy-virt", kvmtool's too) splits RAM blocks into
 * pages at first touch. Under QEMU's TCG a two-stage TLB entry takes the
 * larger of its two page sizes, and a single-page TLBI that falls among
 * large entries flushes the whole software TLB: with 2 MiB stage-2 blocks
 * that is nearly every TLBI a Linux guest issues (DESIGN.md, "Stage-2
 * blocks and QEMU's soft TLB"). Hardware keeps its blocks.
 */
static enum p2m_granule p2m_granule_for(const void *fdt, enum hv_p2m_pages opt)
{
    switch (opt) {
    case HV_P2M_BLOCKS:
        return P2M_GRANULE_BLOCKS;
    case HV_P2M_TOUCH:
        return P2M_GRANULE_TOUCH;
    case HV_P2M_PAGES:
        return P2M_GRANULE_PAGES;
    case HV_P2M_AUTO:
        break;
    }
    if (fdt_node_check_compatible(fdt, 0, "linux,dummy-virt") != 0)
        return P2M_GRANULE_BLOCKS;
    printk("p2m: QEMU virt board: RAM blocks become 4 KiB pages at first touch "
           "(p2m_pages=false keeps them)");
    return P2M_GRANULE_TOUCH;
}

/*
 * The IPA width to ask p2m_arch_init for: the ipa_bits option, or what
 * every domain's space must hold: the guests' own layout (core/domain.h:
 * RAM bank 1 ends at 1 TiB, 40 bits) and dom0's direct map (the host's RAM
 * and devices at IPA == PA). A smaller space is a shorter stage-2 walk: 3
 * levels at 40 bits where 44 or 48 take 4, so a guest TLB miss reads 19
 * descriptors instead of 24 (each of the 4 stage-1 reads and the final
 * address go through stage 2). KVM's default is 40 bits too. Under QEMU's
 * TCG no boot-time difference was measured (DESIGN.md §4, "Stage-2 walk
 * depth").
 */
static unsigned int ipa_bits_wanted(const void *fdt, unsigned int opt)
{
    if (opt)
        return opt;
    const struct mem_range *ram;
    unsigned int nr = mm_ram_banks(&ram);
    uint64_t top = dom0_dt_mmio_top(fdt);
    for (unsigned int i = 0; i < nr; i++)
        top = MAX(top, ram[i].start + ram[i].size);
    unsigned int bits = top > 1 ? 64 - (unsigned int)__builtin_clzl(top - 1) : 1;
    return MAX(bits, GUEST_LAYOUT_IPA_BITS);
}

static void cpu_common_init(unsigned int id)
{
    cpu_init_el2(hv_opts.vwfi_native);
    p2m_cpu_init();
    irqchip_cpu_init(id);
    sched_init_cpu(id);
    pcpus[id].mpidr = arch_cpu_mpidr();
    __atomic_store_n(&pcpus[id].online, true, __ATOMIC_RELEASE);
}

static __noreturn void secondary_cpu_main(unsigned int id)
{
    cpu_early_init(id);
    mmu_secondary_enable();
    cpu_common_init(id);
    sched_start_cpu();
}

static uint64_t cpu_reg(const void *fdt, int node)
{
    int len;
    const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);
    if (!reg || len < 4)
        return ~0UL;
    return len >= 8 ? ((uint64_t)fdt32_to_cpu(reg[0]) << 32) | fdt32_to_cpu(reg[1])
                    : fdt32_to_cpu(reg[0]);
}

static void start_secondaries(const void *fdt)
{
    int cpus = fdt_path_offset(fdt, "/cpus"), node;
    uint64_t self = arch_cpu_mpidr();
    if (cpus < 0)
        return;
    fdt_for_each_subnode(node, fdt, cpus)
    {
        const char *type = fdt_getprop(fdt, node, "device_type", NULL);
        uint64_t mpidr = cpu_reg(fdt, node);
        if (!type || strcmp(type, "cpu") != 0 || mpidr == self || mpidr == ~0UL)
            continue;
        if (nr_pcpus == MAX_PCPUS) {
            printk("cpu: more than %d CPUs; the rest stay off", MAX_PCPUS);
            break;
        }
        unsigned int id = nr_pcpus;
        int64_t rc = cpu_start(mpidr, id, secondary_cpu_main);
        if (rc != 0) {
            printk("cpu: CPU_ON of MPIDR 0x%lx failed (%ld)", mpidr, rc);
            continue;
        }
        nr_pcpus++;
        uint64_t deadline = arch_counter() + timer_freq();
        while (!__atomic_load_n(&pcpus[id].online, __ATOMIC_ACQUIRE) && arch_counter() < deadline)
            arch_cpu_relax();
        if (!pcpus[id].online)
            printk("cpu: pCPU%u (MPIDR 0x%lx) did not come up", id, mpidr);
    }
}

static unsigned int online_cpus(void)
{
    unsigned int n = 0;
    for (unsigned int i = 0; i < nr_pcpus; i++)
        n += pcpus[i].online;
    return n;
}

static void report_cfg_error(const char *msg)
{
    printk("%s", msg);
}

/*
 * Boot input Cloison cannot run on (memory it cannot find or keep, no
 * interrupt controller, the wrong load address, wrong CPU pools): say why
 * and power the machine off through PSCI (or halt this CPU when the
 * firmware has none). No domain exists yet: the other pCPUs, if started,
 * idle.
 */
static __noreturn void __attribute__((format(printf, 1, 2))) refuse_boot(const char *fmt, ...)
{
    char why[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof(why), fmt, ap);
    va_end(ap);
    printk("cannot boot: %s; powering off", why);
    host_system_off();
}

/* Progress of the boot domains: their count, and the counter when the last
 * block of BOOT_BLOCK began (Cloison's own timestamps for bench/scale.py:
 * creation time per domain at each N, from the boot CPU's counter). */
#define BOOT_BLOCK 256
struct boot_progress {
    unsigned int created;
    uint64_t start, block_start;
};

static uint64_t ticks_to_us(uint64_t ticks)
{
    return ticks / (timer_freq() / 1000000 ? timer_freq() / 1000000 : 1);
}

static int build_boot_domain(void *ctx, struct domain_cfg *cfg)
{
    struct boot_progress *p = ctx;
    const struct cpupool_dt_pool *pool = cpupool_dt_by_phandle(&boot_pools, cfg->cpupool_phandle);
    cfg->cpupool_id = pool ? pool->id : 0; /* create_boot_pools checked the phandles */
    if (!boot_modules_usable(host_fdt, cfg) || !domain_build(cfg))
        return 0;
    if (++p->created % BOOT_BLOCK == 0) {
        uint64_t now = arch_counter();
        printk("boot domains: %u built, %lu us each for the last %u", p->created,
               ticks_to_us(now - p->block_start) / BOOT_BLOCK, BOOT_BLOCK);
        p->block_start = now;
    }
    return 0;
}

static bool sched_known(const char *name)
{
    return sched_policy_by_name(name) != NULL;
}

/* The scheduler sched= chose (or credit2): the other boot pools' default. */
static const struct sched_policy *cmdline_policy;

/* Pool-0's scheduler is set before the boot pCPU joins it (sched.h): the
 * one the pool node holding the boot pCPU names, if it names one Cloison
 * has (a wrong node stops the boot later, create_boot_pools). */
static void boot_pool_sched(const void *fdt)
{
    cmdline_policy = sched_default_policy();
    const char *name = cpupool_dt_boot_sched(fdt, arch_cpu_mpidr());
    const struct sched_policy *pol = name ? sched_policy_by_name(name) : NULL;
    if (pol)
        sched_set_default_policy(pol);
}

/* One boot pool other than Pool-0 is created (Pool-0 has its scheduler from
 * boot_pool_sched); its pCPUs leave Pool-0 (where they came up) for it. */
static void make_pool(const struct cpupool_dt_pool *bp)
{
    const struct sched_policy *pol = bp->sched ? sched_policy_by_name(bp->sched) : cmdline_policy;
    struct cpupool *p = cpupool0();
    int rc = 0;
    if (bp->id == 0)
        rc = pol == cpupool_policy(p) ? 0 : -EINVAL;
    else
        rc = cpupool_create(bp->id, pol, &p);
    for (unsigned int cpu = 0; !rc && cpu < nr_pcpus; cpu++) {
        if (!(bp->cpus & (1ULL << cpu)) || (cpupool_cpus(p) & (1ULL << cpu)))
            continue;
        if (cpupool_cpus(cpupool0()) & (1ULL << cpu))
            rc = cpupool_unassign_cpu(cpupool0(), cpu);
        if (!rc)
            rc = cpupool_assign_cpu(p, cpu);
    }
    if (rc)
        refuse_boot("Pool-%u (%s) cannot be made (error %d)", bp->id, pol->name, rc);
    printk("cpupool: Pool-%u: %s, pCPUs 0x%lx%s", bp->id, pol->name, cpupool_cpus(p),
           bp->node < 0 && bp->id ? " (those no pool node claims)" : "");
}

/* Xen's boot-time cpupools (boot/cpupool_dt.c), and every domain's reference
 * to one checked, before any domain is built. Any mistake stops the boot:
 * pools decide which domains share pCPUs, a guess could break the
 * isolation the tree asks for (Xen panics on these). */
static void create_boot_pools(const void *fdt)
{
    uint64_t mpidr[MAX_PCPUS], online = 0;
    for (unsigned int i = 0; i < nr_pcpus; i++) {
        mpidr[i] = pcpus[i].mpidr;
        if (__atomic_load_n(&pcpus[i].online, __ATOMIC_ACQUIRE))
            online |= 1ULL << i;
    }
    const struct cpupool_dt_host host = {mpidr, nr_pcpus,    online,
                                         0,     sched_known, cmdline_policy->name};
    /* The ARINC 653 schedule of an arinc653 pool node (cloison,arinc653-*)
     * is read and checked through the parser's hook, left in the pool's
     * sched_params, and put in force once the domains it names exist. */
    int n = cpupool_dt_parse(fdt, &host, &boot_pools, arinc653_pools_read, NULL, report_cfg_error);
    if (n < 0)
        refuse_boot("the CPU pools in /chosen are not usable (see the cpupool: lines above)");
    if (cpupool_dt_check_domains(fdt, &boot_pools, report_cfg_error) < 0)
        refuse_boot("a domain names no CPU pool (see the cpupool: lines above)");
    if (n == 1 && boot_pools.pool[0].node < 0)
        return;                      /* no pool nodes: Pool-0 of every pCPU, as it is */
    for (int i = n - 1; i >= 0; i--) /* Pool-0 last: it gives pCPUs away */
        make_pool(&boot_pools.pool[i]);
}

/* dom0 and the dom0less domains, in tree order, as many as there are: a
 * domain the tree describes badly, or that memory cannot hold, is reported
 * and skipped, and the others are still built. */
static void create_boot_domains(const void *fdt)
{
    struct boot_progress p = {0, arch_counter(), arch_counter()};
    struct mm_usage u;
    mm_usage(&u);
    /* What the domains' destruction must give back (tests check it). */
    printk("boot domains: %lu KiB free, heap %lu B in %lu pages", (uint64_t)u.free_pages * 4,
           (uint64_t)u.heap_bytes, (uint64_t)u.heap_pages);
    if (dom0_parse(fdt, &boot_cfg, report_cfg_error) == 1) {
        boot_cfg.vcpus = dom0_nr_vcpus(&hv_opts);
        build_boot_domain(&p, &boot_cfg);
    }
    int n = dom0less_for_each(fdt, &boot_cfg, build_boot_domain, &p, report_cfg_error);
    if (n < 0)
        printk("dom0less: the device tree cannot be used (%d)", n);
    if (!p.created) {
        printk("no domain to run: powering off");
        host_system_off();
    }
    printk("boot domains: %u built in %lu ms", p.created,
           ticks_to_us(arch_counter() - p.start) / 1000);
    domain_boot_done();
}

/* RAM, the reservations and the boot modules, then the allocators. */
static void memory_init(const void *fdt)
{
    paddr_t ram_start, ram_end;
    mmu_ram_window(&ram_start, &ram_end);
    if (mm_init(fdt, ram_start, ram_end) != 0)
        refuse_boot("no memory layout Cloison can use (see the mm: lines above)");
    boot_modules_reserve(fdt);
    if (mm_start_allocators() != 0)
        refuse_boot("no memory left for Cloison itself");
    const struct mem_range *ram;
    unsigned int nr_ram = mm_ram_banks(&ram);
    mmu_final(ram, nr_ram);
}

void boot_cpu_main(void *fdt, uint64_t load_addr, uint64_t link_addr)
{
    cpu_early_init(0);
    mmu_early_enable();
    /* The whole tree is checked before libfdt walks it (a crafted one can
     * make libfdt loop). Without a sound tree nothing can be reported, nor
     * the way to power off found: halt. 2 MiB is Linux's limit for a boot
     * DTB too. Without a console, power off (PSCI) without a word. */
    if (fdt_validate(fdt, 2 * 1024 * 1024) != 0)
        arch_halt();
    if (uart_init(fdt) != 0) {
        host_psci_init(fdt);
        host_system_off();
    }
    printk("Cloison %s (Xen 4.17 guest ABI) starting", CLOISON_VERSION);
    host_psci_init(fdt); /* first: a refusal to boot powers off through it */
    if (load_addr != link_addr)
        refuse_boot("loaded at 0x%lx but linked at 0x%lx: use a loader that honours the Image "
                    "header's text_offset at the RAM base",
                    load_addr, link_addr);
    bootargs_defaults(&hv_opts);
    const char *cmdline = dom0less_hv_bootargs(fdt);
    if (cmdline)
        printk("command line: %s", cmdline);
    bootargs_parse(cmdline, &hv_opts, report_cfg_error);
    xen_version_set_cmdline(cmdline ? cmdline : "");
    host_fdt = fdt;
    mm_set_bootscrub(hv_opts.bootscrub);
    memory_init(fdt);
    if (irqchip_init(fdt) != 0)
        refuse_boot("no usable interrupt controller");
    p2m_arch_init(hv_opts.vmid_bits, ipa_bits_wanted(fdt, hv_opts.ipa_bits),
                  p2m_granule_for(fdt, hv_opts.p2m_pages));
    sched_choose(&hv_opts);
    boot_pool_sched(fdt);
    cpu_common_init(0);
    attach_layers();
    compose_layers(); /* before any pCPU schedules or any domain exists */
    start_secondaries(fdt);
    printk("RAM %lu MiB (%lu MiB free, %lu kept from guests), %u CPUs, GICv%u, VMID %u bits, "
           "IPA %u bits, timer %lu Hz",
           (uint64_t)mm_total_pages() >> 8, (uint64_t)mm_free_pages() >> 8,
           (uint64_t)mm_reserve_pages() >> 8, online_cpus(), irqchip_info()->version,
           p2m_vmid_bits(), p2m_ipa_bits(), timer_freq());
    create_boot_pools(fdt);
    create_boot_domains(fdt);
    arinc653_pools_install(fdt, &boot_pools);
    sched_start_cpu();
}
