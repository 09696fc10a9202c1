/*
 * libFuzzer: a domU's device tree (boot/guestdt.c) from fuzzed parameters.
 * Input: byte 0 flags (bit 0 GICv3, 1 vpl011, 2 hypervisor node, 3 timer
 * frequency), byte 1 vCPUs, then little-endian RAM size, bank-1 size and
 * initrd size (8 bytes each), the rest the command line. Properties: inside
 * the documented ranges (1..128 vCPUs, command line < 512 bytes) the tree
 * always fits GUESTDT_SIZE and is well formed; outside them the parameters
 * are refused (-FDT_ERR_BADVALUE), never half built.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <libfdt.h>
#include <boot/fdt_validate.h>
#include <boot/guestdt.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define HDR 26
#define BOOTARGS_MAX 600

static uint64_t le64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint64_t buf[GUESTDT_SIZE / 8];
    char args[BOOTARGS_MAX + 1];

    if (size < HDR)
        return 0;
    size_t alen = size - HDR < BOOTARGS_MAX ? size - HDR : BOOTARGS_MAX;
    memcpy(args, data + HDR, alen);
    args[alen] = '\0';
    struct guestdt_params p = {
        .gic_version = data[0] & 1 ? 3 : 2,
        .vpl011 = data[0] & 2,
        .hypervisor_node = data[0] & 4,
        .timer_freq = data[0] & 8 ? 62500000 : 0,
        .nr_vcpus = data[1],
        .ram_base = 0x40000000,
        .ram_size = le64(data + 2),
        .ram1_base = 0x200000000ULL,
        .ram1_size = le64(data + 10),
        .initrd_start = 0x48000000,
        .initrd_size = le64(data + 18),
        .bootargs = args,
    };
    bool valid = p.nr_vcpus >= 1 && p.nr_vcpus <= GUESTDT_MAX_VCPUS && p.ram_size &&
                 p.ram_base + p.ram_size > p.ram_base &&
                 (!p.ram1_size || p.ram1_base + p.ram1_size > p.ram1_base) &&
                 p.initrd_start + p.initrd_size >= p.initrd_start;
    int rc = guestdt_build(buf, sizeof(buf), &p);
    if (!valid) {
        if (rc != -FDT_ERR_BADVALUE)
            abort();
        return 0;
    }
    if (strlen(args) < 512 && rc != 0)
        abort(); /* GUESTDT_SIZE is documented to be enough */
    if (rc == 0 && (fdt_validate(buf, sizeof(buf)) != 0 || fdt_check_full(buf, sizeof(buf)) != 0))
        abort();
    return 0;
}
