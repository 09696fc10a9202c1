/*
 * console_io, xen_version, platform_op and physdev_op (xen/hc_console.c,
 * hc_version.c, hc_platform.c, hc_physdev.c): the bytes a guest writes reach
 * its console exactly, in 2 KiB stretches; dom0 reads what was typed (and
 * keeps it when its buffer is bad); version answers and their -EFAULTs;
 * settime64's checks in Xen's order and its effect on every shared_info.
 */
#include "harness.h"
#include "hc_util.h"
#include <public/platform.h>
#include <public/version.h>

#define CON __HYPERVISOR_console_io
#define VER __HYPERVISOR_xen_version
#define PLAT __HYPERVISOR_platform_op

static struct domain *d0, *d1;

static void world(void)
{
    fake_world_reset();
    d0 = fake_domain(0, FAKE_XEN | FAKE_PRIV, 1);
    d1 = fake_domain(1, FAKE_XEN, 1);
}

TEST(console_write)
{
    world();
    struct vcpu *v = vcpu0(d1);
    CHECK(fails_clean(v, CON, 2, 1, ARG, -ENOSYS));
    CHECK(fails_clean(v, CON, CONSOLEIO_write, 0, BAD_VA, 0)); /* nothing to read */
    CHECK(fails_clean(v, CON, CONSOLEIO_write, 1, BAD_VA, -EFAULT));
    put(d1, ARG, "hello\n", 6);
    CHECK_EQ(fake_hypercall(v, CON, CONSOLEIO_write, 6, ARG, 0, 0), 0);
    CHECK_EQ(fake_con_len[1], 6);
    CHECK(memcmp(fake_con_out[1], "hello\n", 6) == 0);
    CHECK_EQ(fake_con_len[0], 0);
    /* Running off the end of RAM: the whole 128-byte chunks before it are out. */
    char buf[300];
    memset(buf, 'x', sizeof(buf));
    put(d1, FAKE_RAM_END - 200, buf, 200);
    CHECK_EQ(fake_hypercall(v, CON, CONSOLEIO_write, 300, FAKE_RAM_END - 200, 0, 0), -EFAULT);
    CHECK_EQ(fake_con_len[1], 6 + 128);
    CHECK(quiet());
}

TEST(console_read_is_dom0s)
{
    world();
    CHECK_EQ(fake_type("abc", 3), 3);
    /* A domU reads nothing and its buffer is not looked at. */
    CHECK(fails_clean(vcpu0(d1), CON, CONSOLEIO_read, 10, BAD_VA, 0));
    struct vcpu *v = vcpu0(d0);
    CHECK(fails_clean(v, CON, CONSOLEIO_read, 0x80000000ULL, ARG, -E2BIG));
    /* A bad buffer: -EFAULT, and the typed bytes stay for the next read. */
    CHECK_EQ(fake_hypercall(v, CON, CONSOLEIO_read, 10, BAD_VA, 0, 0), -EFAULT);
    char got[8] = {0};
    CHECK_EQ(fake_hypercall(v, CON, CONSOLEIO_read, 2, ARG, 0, 0), 2);
    get(d0, ARG, got, 2);
    CHECK(memcmp(got, "ab", 2) == 0);
    CHECK_EQ(fake_hypercall(v, CON, CONSOLEIO_read, 0xffff00000000ULL | 8, ARG, 0, 0), 1);
    get(d0, ARG, got, 1);
    CHECK_EQ(got[0], 'c');
    CHECK_EQ(fake_hypercall(v, CON, CONSOLEIO_read, 8, BAD_VA, 0, 0), 0); /* nothing typed */
    /* The buffer holds 128 bytes: more typing is dropped. */
    char many[200];
    memset(many, 'k', sizeof(many));
    CHECK_EQ(fake_type(many, sizeof(many)), 128);
    CHECK_EQ(fake_hypercall(v, CON, CONSOLEIO_read, 1000, ARG, 0, 0), 128);
    CHECK(quiet());
}

TEST(xen_version)
{
    world();
    struct vcpu *v = vcpu0(d1);
    CHECK_EQ(fake_hypercall(v, VER, XENVER_version, 0, 0, 0, 0), (4 << 16) | 17);
    CHECK_EQ(fake_hypercall(v, VER, XENVER_pagesize, BAD_VA, 0, 0, 0), 4096);
    CHECK(fails_clean(v, VER, XENVER_build_id, ARG, 0, -EPERM)); /* dom0's only */
    CHECK(fails_clean(v, VER, 0x7fffffff, ARG, 0, -ENOSYS));
    static const uint32_t out_cmds[] = {
        XENVER_extraversion,        XENVER_compile_info, XENVER_capabilities, XENVER_changeset,
        XENVER_platform_parameters, XENVER_get_features, XENVER_guest_handle};
    for (size_t i = 0; i < ARRAY_SIZE(out_cmds); i++) {
        CHECK(fails_clean(v, VER, out_cmds[i], BAD_VA, 0, -EFAULT));
        /* Running off the end of RAM: -EFAULT (the bytes before the end
         * may be written, as by any copy to a guest). */
        CHECK_EQ(fake_hypercall(v, VER, out_cmds[i], FAKE_RAM_END - 4, 0, 0, 0), -EFAULT);
    }
    xen_extraversion_t ev;
    CHECK_EQ(fake_hypercall(v, VER, XENVER_extraversion, ARG, 0, 0, 0), 0);
    get(d1, ARG, ev, sizeof(ev));
    CHECK_STR_EQ(ev, "-cloison");
    struct xen_compile_info ci;
    CHECK_EQ(fake_hypercall(v, VER, XENVER_compile_info, ARG, 0, 0, 0), 0);
    get(d1, ARG, &ci, sizeof(ci));
    CHECK_STR_EQ(ci.compiler, "gcc");
    xen_changeset_info_t cs;
    CHECK_EQ(fake_hypercall(v, VER, XENVER_changeset, ARG, 0, 0, 0), 0);
    get(d1, ARG, cs, sizeof(cs));
    CHECK_STR_EQ(cs, "cloison host");
    xen_capabilities_info_t caps;
    CHECK_EQ(fake_hypercall(v, VER, XENVER_capabilities, ARG, 0, 0, 0), 0);
    get(d1, ARG, caps, sizeof(caps));
    CHECK_STR_EQ(caps, "xen-3.0-aarch64 xen-3.0-armv7l ");

    /* Features: what Xen 4.17 reports to a domU and to dom0. */
    struct xen_feature_info fi = {.submap_idx = 0, .submap = 0xdead};
    put(d1, ARG, &fi, sizeof(fi));
    CHECK_EQ(fake_hypercall(v, VER, XENVER_get_features, ARG, 0, 0, 0), 0);
    get(d1, ARG, &fi, sizeof(fi));
    CHECK_EQ(fi.submap, 0x00016005);
    put(d0, ARG, &fi, sizeof(fi));
    CHECK_EQ(fake_hypercall(vcpu0(d0), VER, XENVER_get_features, ARG, 0, 0, 0), 0);
    get(d0, ARG, &fi, sizeof(fi));
    CHECK_EQ(fi.submap, 0x00026805);
    fi = (struct xen_feature_info){.submap_idx = 1, .submap = 0xdead};
    put(d1, ARG, &fi, sizeof(fi));
    CHECK_EQ(fake_hypercall(v, VER, XENVER_get_features, ARG, 0, 0, 0), 0);
    get(d1, ARG, &fi, sizeof(fi));
    CHECK_EQ(fi.submap_idx, 1);
    CHECK_EQ(fi.submap, 0);
    CHECK(quiet());
}

static bool plat_fails(struct domain *d, uint32_t cmd, uint32_t version, uint32_t mbz, int64_t want)
{
    struct xen_platform_op op = {.cmd = cmd, .interface_version = version};
    op.u.settime64 = (struct xenpf_settime64){.secs = 1700000000, .mbz = mbz};
    put(d, ARG, &op, sizeof(op));
    return fails_clean(vcpu0(d), PLAT, ARG, 0, 0, want);
}

/* Xen's order: the whole struct read, the interface version, the caller, the
 * sub-op; settime64 then reaches every domain's shared_info. */
TEST(platform_op)
{
    world();
    CHECK(fails_clean(vcpu0(d0), PLAT, BAD_VA, 0, 0, -EFAULT));
    CHECK(fails_clean(vcpu0(d0), PLAT, FAKE_RAM_END - 100, 0, 0, -EFAULT)); /* 136 bytes */
    CHECK(plat_fails(d1, XENPF_settime64, XENPF_INTERFACE_VERSION - 1, 0, -EACCES));
    CHECK(plat_fails(d1, XENPF_settime64, XENPF_INTERFACE_VERSION, 0, -EPERM));
    CHECK(plat_fails(d0, 1, XENPF_INTERFACE_VERSION, 0, -ENOSYS));
    CHECK(plat_fails(d0, XENPF_settime64, XENPF_INTERFACE_VERSION, 1, -EINVAL));
    CHECK_EQ(d1->xen->shinfo->wc_version, 0);

    struct xen_platform_op op = {.cmd = XENPF_settime64,
                                 .interface_version = XENPF_INTERFACE_VERSION};
    op.u.settime64 = (struct xenpf_settime64){.secs = 1700000000, .nsecs = 5, .system_time = 0};
    put(d0, ARG, &op, sizeof(op));
    CHECK_EQ(fake_hypercall(vcpu0(d0), PLAT, ARG, 0, 0, 0, 0), 0);
    for (uint16_t i = 0; i < 2; i++) {
        const struct shared_info *s = fake_dom(i)->xen->shinfo;
        CHECK_EQ(s->wc_sec, 1700000000);
        CHECK_EQ(s->wc_nsec, 5);
        CHECK_EQ(s->wc_version % 2, 0);
        CHECK(s->wc_version > 0);
    }
    CHECK(quiet());
}

TEST(physdev_op_is_enosys_for_everyone)
{
    world();
    CHECK(fails_clean(vcpu0(d0), __HYPERVISOR_physdev_op, 25, ARG, 0, -ENOSYS));
    CHECK(fails_clean(vcpu0(d1), __HYPERVISOR_physdev_op, 0, BAD_VA, 0, -ENOSYS));
    CHECK_EQ(fake_guest_reads, 0);
}

TEST(teardown_frees_everything)
{
    world();
    fake_type("x", 1);
    fake_world_reset();
    CHECK(quiet());
}
