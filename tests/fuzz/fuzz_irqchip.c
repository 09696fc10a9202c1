/*
 * libFuzzer: the host GIC's description (drivers/gic_dt.c) from arbitrary
 * bytes as the boot DTB. Properties: an accepted GIC has 4 frames (v2) or
 * 2..9 (v3), each page aligned, not wrapping, at least as large as the
 * driver's accesses and apart from the others; a refusal always says why.
 */
#include <stdint.h>
#include <stdlib.h>
#include <drivers/gic_dt.h>
#include "fuzz_fdt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct gic_dt dt;
    void *fdt = fuzz_fdt(data, size);

    if (!fdt)
        return 0;
    size_t before = fuzz_report_bytes;
    if (gic_dt_probe(fdt, &dt, fuzz_report) == 0) {
        bool v3 = dt.version == 3;
        if ((v3 ? dt.nr_regions < 2 || dt.nr_regions > GIC_DT_MAX_REGIONS : dt.nr_regions != 4) ||
            (dt.version != 2 && !v3))
            abort();
        for (unsigned int i = 0; i < dt.nr_regions; i++) {
            const struct gic_dt_region *r = &dt.region[i];
            uint64_t min = v3 ? (i ? 0x20000 : 0x10000) : (i == 1 || i == 3 ? 0x2000 : 0x1000);
            if (r->size < min || r->base & 0xfff || r->base + r->size < r->base)
                abort();
            for (unsigned int j = 0; j < i; j++)
                if (r->base < dt.region[j].base + dt.region[j].size &&
                    dt.region[j].base < r->base + r->size)
                    abort();
        }
    } else if (fuzz_report_bytes == before) {
        abort(); /* refused without a word */
    }
    free(fdt);
    return 0;
}
