/*
 * xen-foreign: dom0 maps one page of another domain's RAM through Linux's
 * privcmd (IOCTL_PRIVCMD_MMAPBATCH_V2), the way libxenforeignmemory does, so
 * the integration tests can drive XENMEM_add_to_physmap_batch
 * (XENMAPSPACE_gmfn_foreign) and XENMEM_remove_from_physmap from a stock kernel.
 *
 *   xen-foreign map DOMID GFN     map, read the string at offset 0, write
 *                                 "DOM0-WAS-HERE" at offset 2048, wait for one
 *                                 line on stdin, read offset 0 again, munmap
 *   xen-foreign probe DOMID GFN   map attempt only (error cases), munmap
 *
 * Every step prints one line starting "XF " (tests/integration/test_dom0_foreign.py
 * parses them). Exit status 0 when every step did what it was asked, 1 otherwise
 * (a refused probe is a successful probe: it reports what the hypervisor said).
 */
#define _DEFAULT_SOURCE /* MAP_SHARED, ioctl() beside -std=c11 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE 4096u
#define REPLY_OFFSET 2048u
#define REPLY "DOM0-WAS-HERE"
#define SHOW_MAX 63 /* characters of the page's string printed */

/*
 * Linux's include/uapi/xen/privcmd.h (struct privcmd_mmapbatch_v2), written
 * out here so the tool needs no kernel headers: num frames of domain dom go to
 * the privcmd mapping at addr; arr holds the foreign GFNs (xen_pfn_t, 64-bit on
 * arm64) and err receives one Xen error code per frame (0 = mapped).
 */
struct privcmd_mmapbatch_v2 {
    uint32_t num;
    uint16_t dom;
    uint64_t addr;
    const uint64_t *arr;
    int *err;
};
_Static_assert(sizeof(struct privcmd_mmapbatch_v2) == 32, "arm64 layout");
_Static_assert(offsetof(struct privcmd_mmapbatch_v2, addr) == 8, "arm64 layout");
_Static_assert(offsetof(struct privcmd_mmapbatch_v2, arr) == 16, "arm64 layout");
_Static_assert(offsetof(struct privcmd_mmapbatch_v2, err) == 24, "arm64 layout");

#define IOCTL_PRIVCMD_MMAPBATCH_V2 _IOC(_IOC_NONE, 'P', 4, sizeof(struct privcmd_mmapbatch_v2))
/* The value the shared Xen ARM ABI notes list for arm64 (shared/docs/xen-arm-abi.md §5.3). */
_Static_assert(IOCTL_PRIVCMD_MMAPBATCH_V2 == 0x00205004, "ioctl number");

#define PRIVCMD_DEV "/dev/xen/privcmd"

static _Noreturn void usage(void)
{
    fprintf(stderr, "usage: xen-foreign map|probe DOMID GFN\n");
    exit(2);
}

static unsigned long long parse_num(const char *s, unsigned long long max)
{
    char *end;

    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (errno || end == s || *end || v > max)
        usage();
    return v;
}

/*
 * The NUL-terminated string at p (at most SHOW_MAX characters), quoted, with
 * anything not printable ASCII escaped, so one line of output stays one line
 * whatever the foreign page holds. Read through volatile: the other domain may
 * be writing the page meanwhile, and every call must really read it again.
 */
static void quote(const volatile char *p, char *out, size_t outsz)
{
    size_t o = 0;

    out[o++] = '"';
    for (size_t i = 0; i < SHOW_MAX && p[i] && o + 6 < outsz; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c == '"' || c == '\\')
            o += (size_t)snprintf(out + o, outsz - o, "\\%c", c);
        else if (c >= 0x20 && c < 0x7f)
            out[o++] = (char)c;
        else
            o += (size_t)snprintf(out + o, outsz - o, "\\x%02x", c);
    }
    out[o++] = '"';
    out[o] = '\0';
}

/* The privcmd mapping: mmap of the device, then the batch ioctl for one frame. */
struct fmap {
    int fd;
    volatile char *page;
};

static int map_one(const char *step, struct fmap *m, uint16_t dom, uint64_t gfn)
{
    m->fd = open(PRIVCMD_DEV, O_RDWR | O_CLOEXEC);
    if (m->fd < 0) {
        printf("XF open error errno=%d (%s)\n", errno, strerror(errno));
        return -1;
    }
    /* The kernel allocates the backing (ballooned) frame only at the ioctl. */
    void *va = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, m->fd, 0);
    if (va == MAP_FAILED) {
        printf("XF mmap error errno=%d (%s)\n", errno, strerror(errno));
        close(m->fd);
        return -1;
    }
    m->page = va;

    /* V2 zeroes err[] itself and writes back only failures; start from 0 anyway. */
    int err = 0;
    struct privcmd_mmapbatch_v2 b = {
        .num = 1, .dom = dom, .addr = (uintptr_t)va, .arr = &gfn, .err = &err};
    int rc = ioctl(m->fd, IOCTL_PRIVCMD_MMAPBATCH_V2, &b);
    int e = rc < 0 ? errno : 0;
    printf("XF %s rc=%d errno=%d err=%d dom=%u gfn=0x%llx\n", step, rc, e, err, dom,
           (unsigned long long)gfn);
    /*
     * A per-frame error still leaves a user PTE pointing at the empty frame
     * (Linux sets it whenever the hypercall itself returned 0): never touch
     * the page unless both say it is mapped.
     */
    return rc == 0 && err == 0 ? 0 : 1;
}

static int unmap(struct fmap *m)
{
    int ok = munmap((void *)m->page, PAGE) == 0;

    if (ok)
        printf("XF unmapped\n");
    else
        printf("XF munmap error errno=%d (%s)\n", errno, strerror(errno));
    close(m->fd);
    return ok ? 0 : 1;
}

static int cmd_map(uint16_t dom, uint64_t gfn)
{
    struct fmap m;
    char before[SHOW_MAX * 4 + 3], after[sizeof(before)];

    int r = map_one("map", &m, dom, gfn);
    if (r < 0)
        return 1;
    if (r > 0) {
        unmap(&m);
        return 1;
    }
    quote(m.page, before, sizeof(before));
    printf("XF read %s\n", before);
    for (size_t i = 0; i < sizeof(REPLY); i++) /* with its NUL */
        m.page[REPLY_OFFSET + i] = REPLY[i];
    printf("XF wrote offset=%u \"%s\"\n", REPLY_OFFSET, REPLY);
    /* The test lets the owner finish (and be destroyed) before it types Enter. */
    printf("XF waiting for a line on stdin\n");
    fflush(stdout);
    char line[64];
    if (!fgets(line, sizeof(line), stdin))
        printf("XF stdin closed\n");
    quote(m.page, after, sizeof(after));
    int same = strcmp(before, after) == 0;
    printf("XF reread same=%s %s\n", same ? "yes" : "no", after);
    return unmap(&m) || !same;
}

static int cmd_probe(uint16_t dom, uint64_t gfn)
{
    struct fmap m;

    int r = map_one("probe", &m, dom, gfn);
    if (r < 0)
        return 1;
    return unmap(&m);
}

int main(int argc, char **argv)
{
    if (argc != 4)
        usage();
    /* Line-buffered even on a pipe, so each step shows before the next may hang. */
    setvbuf(stdout, NULL, _IOLBF, 0);
    uint16_t dom = (uint16_t)parse_num(argv[2], 0xffff);
    uint64_t gfn = parse_num(argv[3], UINT64_MAX);
    if (!strcmp(argv[1], "map"))
        return cmd_map(dom, gfn);
    if (!strcmp(argv[1], "probe"))
        return cmd_probe(dom, gfn);
    usage();
}
