/*
 * libFuzzer: arbitrary bytes as the boot DTB, every node read as an
 * arinc653 pool node (boot/arinc653_dt.c), after fdt_validate() as at boot.
 * A schedule the parser accepts must meet Xen's rules once its domains are
 * named (sched_arinc653_valid), and a refusal must have said why.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <libfdt.h>
#include <boot/arinc653_dt.h>
#include <boot/fdt_validate.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned int messages;

static void report(const char *msg)
{
    messages += strlen(msg) > 0; /* touch every byte of every message */
}

static uint32_t domid_of(uint32_t phandle, void *ctx)
{
    (void)ctx;
    return phandle & 0x7fff;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct arinc653_dt dt;
    static struct arinc653_schedule s;
    if (size < sizeof(struct fdt_header) || fdt_check_header(data))
        return 0;
    size_t total = fdt_totalsize((const void *)data);
    if (total > size)
        return 0;
    void *fdt = aligned_alloc(8, (total + 7) & ~(size_t)7);
    if (!fdt)
        return 0;
    memcpy(fdt, data, total);
    if (fdt_validate(fdt, total) == 0) {
        int nodes = 0;
        for (int node = 0; node >= 0 && nodes < 256; node = fdt_next_node(fdt, node, NULL)) {
            nodes++;
            messages = 0;
            int rc = arinc653_dt_parse(fdt, node, &dt, report);
            if (rc < 0 && !messages)
                abort(); /* refused without a word */
            if (rc == 1) {
                arinc653_dt_schedule(&dt, domid_of, NULL, &s);
                if (!sched_arinc653_valid(&s))
                    abort();
            }
        }
    }
    free(fdt);
    return 0;
}
