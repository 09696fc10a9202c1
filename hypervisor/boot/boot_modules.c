/*
 * Boot modules (see boot/boot_modules.h): parsed twice, since the number of
 * domains has no bound to size an array for: once before any allocator
 * exists, to reserve what each domain names, and once more as each domain
 * is built, to check that it was.
 */
#include <boot/boot_modules.h>
#include <cloison/printk.h>
#include <core/domain_cfg.h>
#include <core/mm_layout.h>
#include <libfdt.h>

static struct domain_cfg scratch; /* boot CPU only, before any other runs */

/* A ramdisk is reserved only with its kernel: a domain that will be skipped
 * should not keep memory, nor be in the way of a later domain's modules. */
static int reserve_domain(void *ctx, struct domain_cfg *cfg)
{
    (void)ctx;
    if (mm_reserve_module(cfg->kernel.start, cfg->kernel.size, NULL) == MM_MODULE_OK &&
        cfg->ramdisk.size)
        mm_reserve_module(cfg->ramdisk.start, cfg->ramdisk.size, NULL);
    return 0;
}

void boot_modules_reserve(const void *fdt)
{
    if (dom0_parse(fdt, &scratch, NULL) == 1)
        reserve_domain(NULL, &scratch);
    dom0less_for_each(fdt, &scratch, reserve_domain, NULL, NULL);
}

static bool module_usable(const void *fdt, const struct domain_cfg *cfg,
                          const struct boot_module *m)
{
    struct range other;
    char path[128];
    enum mm_module why = mm_check_module(m->start, m->size, &other);

    if (why == MM_MODULE_OK)
        return true;
    if (fdt_get_path(fdt, m->node, path, sizeof(path)) != 0)
        strlcpy(path, "/chosen/?", sizeof(path));
    if (why == MM_MODULE_OVERLAP)
        printk("%s: %s: property 'reg' (0x%lx-0x%lx) %s (0x%lx-0x%lx): domain not created",
               cfg->name, path, m->start, m->start + m->size, mm_module_str(why), other.start,
               other.end);
    else
        printk("%s: %s: property 'reg' (0x%lx-0x%lx) %s: domain not created", cfg->name, path,
               m->start, m->start + m->size, mm_module_str(why));
    return false;
}

bool boot_modules_usable(const void *fdt, const struct domain_cfg *cfg)
{
    return module_usable(fdt, cfg, &cfg->kernel) &&
           (!cfg->ramdisk.size || module_usable(fdt, cfg, &cfg->ramdisk));
}
