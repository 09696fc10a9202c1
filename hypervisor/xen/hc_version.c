/*
 * xen_version: Cloison reports a Xen-compatible version (Linux prints it and
 * gates features on it) and names itself in the extraversion.
 */
#include <cloison/errno.h>
#include <xen/guest_copy.h>
#include <xen/xen_version.h>
#include <core/domain.h>
#include <core/vcpu.h>
#include <public/version.h>
#include <string.h>
#include "hypercall.h"

#define XEN_COMPAT_MAJOR 4
#define XEN_COMPAT_MINOR 17

static xen_commandline_t saved_cmdline; /* written once at boot, then only read */

void xen_version_set_cmdline(const char *cmdline)
{
    memset(saved_cmdline, 0, sizeof(saved_cmdline));
    strlcpy(saved_cmdline, cmdline, sizeof(saved_cmdline));
}

static uint32_t feature_submap(const struct vcpu *v, uint32_t idx)
{
    if (idx != 0)
        return 0;
    /* What Xen 4.17 reports on ARM: domU 0x00016005, dom0 0x00026805. */
    uint32_t f = BIT(XENFEAT_writable_page_tables) | BIT(XENFEAT_auto_translated_physmap) |
                 BIT(XENFEAT_memory_op_vnode_supported) | BIT(XENFEAT_ARM_SMCCC_supported);
    if (v->domain->is_privileged)
        f |= BIT(XENFEAT_dom0) | BIT(XENFEAT_direct_mapped);
    else
        f |= BIT(XENFEAT_not_direct_mapped);
    return f;
}

/*
 * XENVER_build_id, Xen's checks in Xen's order: only the control domain
 * (-EPERM, the dummy XSM policy), a NULL buffer asks for the size, else its
 * len must not be 0 (-EINVAL); then Xen's answer when it was built without a
 * build id, -ENODATA, on which libxl shows an empty build id.
 */
static int64_t build_id(struct vcpu *v, uint64_t arg)
{
    uint32_t len;
    if (!v->domain->is_privileged)
        return -EPERM;
    if (arg) {
        if (copy_from_guest(v, &len, arg, sizeof(len)))
            return -EFAULT;
        if (len == 0)
            return -EINVAL;
    }
    return -ENODATA;
}

int64_t do_xen_version(struct vcpu *v, uint64_t cmd, uint64_t arg, uint64_t a2, uint64_t a3,
                       uint64_t a4)
{
    (void)a2, (void)a3, (void)a4;
    /* The null hypercall's answer first, before the frame the copies need. */
    if ((uint32_t)cmd == XENVER_version) /* an int in Xen's prototype: upper bits ignored */
        return (XEN_COMPAT_MAJOR << 16) | XEN_COMPAT_MINOR;
    switch ((uint32_t)cmd) {
    case XENVER_extraversion: {
        xen_extraversion_t ev = {0};
        strlcpy(ev, "-cloison", sizeof(ev));
        return copy_to_guest(v, arg, ev, sizeof(ev)) ? -EFAULT : 0;
    }
    case XENVER_compile_info: {
        struct xen_compile_info ci;
        memset(&ci, 0, sizeof(ci));
        strlcpy(ci.compiler, "gcc", sizeof(ci.compiler));
        strlcpy(ci.compile_by, "cloison", sizeof(ci.compile_by));
        strlcpy(ci.compile_domain, "cloison", sizeof(ci.compile_domain));
        strlcpy(ci.compile_date, __DATE__, sizeof(ci.compile_date));
        return copy_to_guest(v, arg, &ci, sizeof(ci)) ? -EFAULT : 0;
    }
    case XENVER_capabilities: {
        static const char caps[] = "xen-3.0-aarch64 xen-3.0-armv7l ";
        xen_capabilities_info_t buf;
        memset(buf, 0, sizeof(buf));
        memcpy(buf, caps, sizeof(caps));
        return copy_to_guest(v, arg, buf, sizeof(buf)) ? -EFAULT : 0;
    }
    case XENVER_changeset: {
        xen_changeset_info_t cs;
        memset(cs, 0, sizeof(cs));
        strlcpy(cs, "cloison " CLOISON_VERSION, sizeof(cs));
        return copy_to_guest(v, arg, cs, sizeof(cs)) ? -EFAULT : 0;
    }
    case XENVER_platform_parameters: {
        struct xen_platform_parameters pp = {.virt_start = 0};
        return copy_to_guest(v, arg, &pp, sizeof(pp)) ? -EFAULT : 0;
    }
    case XENVER_get_features: {
        struct xen_feature_info fi;
        if (copy_from_guest(v, &fi, arg, sizeof(fi)))
            return -EFAULT;
        fi.submap = feature_submap(v, fi.submap_idx);
        return copy_to_guest(v, arg, &fi, sizeof(fi)) ? -EFAULT : 0;
    }
    case XENVER_pagesize:
        return 4096;
    case XENVER_guest_handle: {
        uint8_t handle[16] = {0};
        return copy_to_guest(v, arg, handle, sizeof(handle)) ? -EFAULT : 0;
    }
    case XENVER_build_id:
        return build_id(v, arg);
    case XENVER_commandline:
        /* Xen's dummy XSM policy denies it to a domU, which gets Xen's
         * "<denied>" string and its NUL, no more. */
        if (!v->domain->is_privileged)
            return copy_to_guest(v, arg, "<denied>", sizeof("<denied>")) ? -EFAULT : 0;
        return copy_to_guest(v, arg, saved_cmdline, sizeof(saved_cmdline)) ? -EFAULT : 0;
    default:
        return -ENOSYS;
    }
}
