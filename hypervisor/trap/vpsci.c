/*
 * SMCCC and PSCI 1.1 for guests (HVC #0, or a trapped SMC #0), with Xen 4.17's
 * answers (shared/docs/xen-arm-abi.md §6). Unknown function IDs return -1
 * (NOT_SUPPORTED); no exception is ever injected for these calls.
 */
#include <core/domain.h>
#include <core/sched.h>
#include <core/vcpu.h>
#include <trap/vpsci.h>
#include <asm/sysreg.h>
#include <cloison/errno.h>

#define PSCI_SUCCESS 0
#define PSCI_NOT_SUPPORTED (-1)
#define PSCI_INVALID_PARAMETERS (-2)
#define PSCI_ALREADY_ON (-4)
#define PSCI_ON_PENDING (-5)
#define PSCI_INTERNAL_FAILURE (-6)
#define PSCI_INVALID_ADDRESS (-9)

#define PSCI_0_1_CPU_OFF 1
#define PSCI_0_1_CPU_ON 2
#define PSCI_VERSION 0x84000000
#define PSCI_CPU_SUSPEND 0x84000001
#define PSCI_CPU_OFF 0x84000002
#define PSCI_CPU_ON 0x84000003
#define PSCI_AFFINITY_INFO 0x84000004
#define PSCI_MIGRATE_INFO_TYPE 0x84000006
#define PSCI_SYSTEM_OFF 0x84000008
#define PSCI_SYSTEM_RESET 0x84000009
#define PSCI_FEATURES 0x8400000A
#define SMC64 0x40000000
#define SMCCC_VERSION 0x80000000
#define SMCCC_ARCH_FEATURES 0x80000001

static struct vcpu *vcpu_by_mpidr(struct domain *d, uint64_t mpidr)
{
    uint64_t aff = mpidr & 0xff00ffffffUL;
    for (unsigned int i = 0; i < d->nr_vcpus; i++)
        if ((vcpu_mpidr(i) & 0xff00ffffffUL) == aff)
            return d->vcpus[i];
    return NULL;
}

static int64_t cpu_on(struct vcpu *v, uint64_t target, uint64_t entry, uint64_t ctx, bool v01)
{
    struct vcpu *t = vcpu_by_mpidr(v->domain, target);
    if (!t)
        return PSCI_INVALID_PARAMETERS;
    /* Bit 0 asks an AArch32 vCPU to start in T32 (vcpu_reset honours it); a
     * 64-bit one has no such state: refused, as Xen 4.17 refuses it. */
    if ((entry & 1) && !t->arch.aarch32)
        return v01 ? PSCI_INVALID_PARAMETERS : PSCI_INVALID_ADDRESS;
    /* Decided under the target's run-queue lock: of two CPU_ONs racing for
     * one vCPU exactly one succeeds; the target is reset by its own pCPU. */
    int rc = vcpu_start(t, entry, v01 ? 0 : ctx);
    if (rc == 0)
        return PSCI_SUCCESS;
    if (v01)
        return PSCI_INVALID_PARAMETERS;
    return rc == -EBUSY ? PSCI_ON_PENDING : PSCI_ALREADY_ON;
}

static int64_t affinity_info(struct vcpu *v, uint64_t target, uint64_t level)
{
    static const uint64_t masks[] = {0xff00ffffffUL, 0xff00ffff00UL, 0xff00ff0000UL,
                                     0xff00000000UL};
    if (level > 3)
        return PSCI_INVALID_PARAMETERS;
    struct domain *d = v->domain;
    for (unsigned int i = 0; i < d->nr_vcpus; i++)
        if ((vcpu_mpidr(i) & masks[level]) == (target & masks[level]) &&
            d->vcpus[i]->state != VCPU_OFF)
            return 0; /* ON */
    return 1;         /* OFF */
}

static int64_t features(uint32_t fn)
{
    switch (fn) {
    case PSCI_VERSION:
    case PSCI_CPU_SUSPEND:
    case PSCI_CPU_SUSPEND | SMC64:
    case PSCI_CPU_OFF:
    case PSCI_CPU_ON:
    case PSCI_CPU_ON | SMC64:
    case PSCI_AFFINITY_INFO:
    case PSCI_AFFINITY_INFO | SMC64:
    case PSCI_MIGRATE_INFO_TYPE:
    case PSCI_SYSTEM_OFF:
    case PSCI_SYSTEM_RESET:
    case PSCI_FEATURES:
    case SMCCC_VERSION:
        return 0;
    default:
        return PSCI_NOT_SUPPORTED;
    }
}

bool smccc_is_query(uint32_t fn)
{
    switch (fn) {
    case PSCI_VERSION:
    case PSCI_FEATURES:
    case PSCI_MIGRATE_INFO_TYPE:
    case SMCCC_VERSION:
    case SMCCC_ARCH_FEATURES:
        return true;
    default:
        return false;
    }
}

void smccc_dispatch(struct vcpu *v)
{
    uint32_t fn = (uint32_t)v->arch.regs.x[0];
    uint64_t a1 = v->arch.regs.x[1], a2 = v->arch.regs.x[2], a3 = v->arch.regs.x[3];
    int64_t ret;
    switch (fn) {
    case PSCI_VERSION:
        ret = 0x00010001; /* PSCI 1.1 */
        break;
    case PSCI_0_1_CPU_ON:
        ret = cpu_on(v, a1, a2, a3, true);
        break;
    case PSCI_CPU_ON:
    case PSCI_CPU_ON | SMC64:
        ret = cpu_on(v, a1, a2, a3, false);
        break;
    case PSCI_0_1_CPU_OFF:
    case PSCI_CPU_OFF:
        vcpu_stop(v);
        return;
    case PSCI_CPU_SUSPEND:
    case PSCI_CPU_SUSPEND | SMC64:
        v->arch.regs.x[0] = PSCI_SUCCESS;
        vcpu_block(v); /* standby: back on the next interrupt */
        return;
    case PSCI_AFFINITY_INFO:
    case PSCI_AFFINITY_INFO | SMC64:
        ret = affinity_info(v, a1, a2);
        break;
    case PSCI_MIGRATE_INFO_TYPE:
        ret = 2; /* no trusted OS to migrate */
        break;
    case PSCI_SYSTEM_OFF:
        domain_shutdown(v->domain, SHUTDOWN_poweroff);
        ret = PSCI_INTERNAL_FAILURE;
        break;
    case PSCI_SYSTEM_RESET:
        domain_shutdown(v->domain, SHUTDOWN_reboot);
        ret = PSCI_INTERNAL_FAILURE;
        break;
    case PSCI_FEATURES:
        ret = features((uint32_t)a1);
        break;
    case SMCCC_VERSION:
        ret = 0x10001; /* SMCCC 1.1 */
        break;
    case SMCCC_ARCH_FEATURES:
    default:
        ret = PSCI_NOT_SUPPORTED;
        break;
    }
    v->arch.regs.x[0] = (uint64_t)ret;
}
