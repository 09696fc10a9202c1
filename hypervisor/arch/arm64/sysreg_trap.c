/*
 * Trapped system register accesses (EC 0x18). The GIC's registers go to the
 * vGIC; debug and PMU registers (trapped through MDCR_EL2 so a guest cannot
 * observe or disturb other domains) read as zero and ignore writes;
 * set/way cache maintenance (trapped by HCR_EL2.TSW, meaningless for a guest
 * that does not own the caches) completes as a no-op; IMPLEMENTATION DEFINED
 * registers (HCR_EL2.TIDCP) and anything else are undefined in the guest.
 */
#include <cloison/irq.h>
#include <cloison/printk.h>
#include <cloison/traps.h>
#include <cloison/vcpu.h>
#include <cloison/vgic.h>
#include <asm/sysreg.h>

struct sysreg_id {
    unsigned int op0, op1, crn, crm, op2;
};

static struct sysreg_id decode(uint64_t iss)
{
    struct sysreg_id id = {
        .op0 = (iss >> 20) & 3,
        .op2 = (iss >> 17) & 7,
        .op1 = (iss >> 14) & 7,
        .crn = (iss >> 10) & 0xf,
        .crm = (iss >> 1) & 0xf,
    };
    return id;
}

static bool is_debug(struct sysreg_id r)
{
    return r.op0 == 2;
}

static bool is_pmu(struct sysreg_id r)
{
    /* PMCR..PMCCNTR etc. (CRn 9, CRm 12-14) and PMEVCNTR/PMEVTYPER (CRn 14). */
    return r.op0 == 3 && ((r.crn == 9 && r.crm >= 12) || (r.op1 == 3 && r.crn == 14));
}

static bool is_set_way(struct sysreg_id r)
{
    /* DC ISW / CSW / CISW */
    return r.op0 == 1 && r.op1 == 0 && r.crn == 7 && r.op2 == 2 &&
           (r.crm == 6 || r.crm == 10 || r.crm == 14);
}

void trap_sysreg(struct vcpu *v, uint64_t esr)
{
    uint64_t iss = ESR_ISS(esr);
    bool read = iss & 1;
    unsigned int rt = (iss >> 5) & 0x1f;
    struct sysreg_id r = decode(iss);
    uint64_t val = read ? 0 : guest_reg(v, rt);

    if (vgic_sysreg(v, (uint32_t)iss, &val, !read)) {
        if (read)
            set_guest_reg(v, rt, val);
    } else if (is_debug(r) || is_pmu(r)) {
        if (read)
            set_guest_reg(v, rt, 0);
    } else if (is_set_way(r)) {
        /* nothing to do */
    } else {
        guest_log(v,
                  "%s of unhandled system register op0=%u op1=%u CRn=%u CRm=%u op2=%u at pc "
                  "0x%lx: undefined instruction injected",
                  read ? "read" : "write", r.op0, r.op1, r.crn, r.crm, r.op2, v->regs.elr);
        inject_undef(v);
        return;
    }
    advance_pc(v, esr);
}
