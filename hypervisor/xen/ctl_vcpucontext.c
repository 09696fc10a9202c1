/*
 * The toolstack loads a new domain's boot state: DOMCTL setvcpucontext
 * (vCPU 0's registers, as libxenguest's vcpu_arm64 fills them) and
 * DOMCTL cacheflush (the kernel, initrd and DTB dom0 wrote through cacheable
 * foreign mappings must be in memory: the guest starts with its caches off).
 */
#include <cloison/arch.h>
#include <cloison/errno.h>
#include <cloison/mm.h>
#include <cloison/p2m.h>
#include <core/domain.h>
#include <core/sched.h>
#include <core/vcpu.h>
#include <xen/guest_copy.h>
#include <asm/vcpu_arch.h>
#include <public/xen.h>
#include "ctl.h"

#define PSR_MODE_MASK 0x1fu
#define PSR_MODE_EL0t 0x0u
#define PSR_MODE_EL1t 0x4u
#define PSR_MODE_EL1h 0x5u
/* Pages one cacheflush call cleans before it continues (16 MiB). */
#define FLUSH_PAGES_PER_CALL 4096u
#define CACHEFLUSH_MAX_PAGES (1u << 18) /* Xen/ARM's MAX_ORDER */

/* Xen's is_guest_pv64_psr: AArch64 EL0t, EL1t or EL1h (bit 4 clear). */
static bool aarch64_psr(uint64_t psr)
{
    uint32_t mode = (uint32_t)psr & PSR_MODE_MASK;
    return mode == PSR_MODE_EL0t || mode == PSR_MODE_EL1t || mode == PSR_MODE_EL1h;
}

/* Xen's is_guest_pv32_psr: an AArch32 mode other than Hyp and Monitor. */
static bool aarch32_psr(uint64_t psr)
{
    switch ((uint32_t)psr & 0x1fu) {
    case 0x10: /* usr */
    case 0x11: /* fiq */
    case 0x12: /* irq */
    case 0x13: /* svc */
    case 0x17: /* abt */
    case 0x1b: /* und */
    case 0x1f: /* sys */
        return true;
    default:
        return false;
    }
}

/* Every PSR of the context is one its vCPU's execution state can take (an
 * SPSR may also be 0: never written). */
static bool context_psrs_ok(const struct vcpu *t, const struct vcpu_guest_core_regs *r)
{
    if (!t->arch.aarch32)
        return aarch64_psr(r->cpsr) && (!r->spsr_el1 || aarch64_psr(r->spsr_el1));
    const uint64_t spsrs[] = {r->spsr_el1, r->spsr_fiq, r->spsr_irq, r->spsr_und, r->spsr_abt};
    for (unsigned int i = 0; i < sizeof(spsrs) / sizeof(spsrs[0]); i++)
        if (spsrs[i] && !aarch32_psr(spsrs[i]))
            return false;
    return aarch32_psr(r->cpsr);
}

/* v is paused and on no pCPU: its saved state is the whole truth. */
static void load_context(struct vcpu *v, const struct vcpu_guest_context *c)
{
    const struct vcpu_guest_core_regs *r = &c->user_regs;
    struct vcpu_arch *a = &v->arch;
    arch_vcpu_reset(a, v->id, r->pc64, r->x[0]);
    for (unsigned int i = 1; i < 31; i++)
        a->regs.x[i] = r->x[i];
    a->regs.spsr = r->cpsr;
    a->sys.spsr_el1 = r->spsr_el1;
    a->sys.sp_el0 = r->sp_el0;
    a->sys.sp_el1 = r->sp_el1;
    a->sys.elr_el1 = r->elr_el1;
    a->sys.sctlr = c->sctlr;
    a->sys.tcr = c->ttbcr;
    a->sys.ttbr0 = c->ttbr0;
    a->sys.ttbr1 = c->ttbr1;
    if (a->aarch32) { /* pc32, the banked SPSRs (r0_usr..lr_fiq are x0..x30) */
        a->regs.elr = r->pc64 & 0xffffffffUL;
        a->sys32.spsr_fiq = r->spsr_fiq;
        a->sys32.spsr_irq = r->spsr_irq;
        a->sys32.spsr_und = r->spsr_und;
        a->sys32.spsr_abt = r->spsr_abt;
    }
}

int64_t domctl_setvcpucontext(struct vcpu *v, struct xen_domctl *op, struct domain *d,
                              bool *copyback)
{
    (void)copyback;
    const struct xen_domctl_vcpucontext *vc = &op->u.vcpucontext;
    if (d == v->domain || vc->vcpu >= d->nr_vcpus)
        return -EINVAL;
    struct vcpu_guest_context c;
    if (vc->ctxt && copy_from_guest(v, &c, vc->ctxt, sizeof(c)))
        return -EFAULT;
    if (vc->ctxt && !context_psrs_ok(d->vcpus[vc->vcpu], &c.user_regs))
        return -EINVAL;
    /* Xen pauses the domain around the update: so do we. */
    int rc = domain_ctl_pause(d, v->domain);
    if (rc)
        return rc;
    struct vcpu *t = d->vcpus[vc->vcpu];
    if (vc->ctxt) {
        load_context(t, &c);
        sched_set_online(t, c.flags & VGCF_online);
    } else { /* a NULL context resets the vCPU: down, boot state */
        arch_vcpu_reset(&t->arch, t->id, 0, 0);
        sched_set_online(t, false);
    }
    domain_ctl_unpause(d, v->domain);
    return 0;
}

/*
 * Clean and invalidate every RAM page of d in [start, start + nr), skipping
 * holes, then the I-cache. A long range is done 16 MiB per call: the rest is
 * written back into the request and the call continues (CTL_CONTINUE).
 */
int64_t domctl_cacheflush(struct vcpu *v, struct xen_domctl *op, struct domain *d, bool *copyback)
{
    (void)v, (void)copyback;
    struct xen_domctl_cacheflush *f = &op->u.cacheflush;
    if (f->nr_pfns > CACHEFLUSH_MAX_PAGES || f->start_pfn + f->nr_pfns < f->start_pfn)
        return -EINVAL;
    uint64_t n = MIN(f->nr_pfns, (uint64_t)FLUSH_PAGES_PER_CALL);
    for (uint64_t gfn = f->start_pfn; gfn < f->start_pfn + n; gfn++) {
        paddr_t pa;
        enum p2m_type t;
        if (!domain_gfn_valid(d, gfn) || !p2m_lookup(&d->p2m, gfn << PAGE_SHIFT, &pa, &t) ||
            t != P2M_RAM)
            continue;
        arch_dcache_clean_inval_range(phys_to_virt(pa & PAGE_MASK), PAGE_SIZE);
    }
    f->start_pfn += n;
    f->nr_pfns -= n;
    if (f->nr_pfns)
        return CTL_CONTINUE;
    arch_icache_invalidate_all();
    return 0;
}
