/*
 * The virtual GIC seen by guests: one state core (vdev/vgic.c) and two
 * front-ends, GICv3 (vdev/vgic-v3.c: distributor + redistributors emulated,
 * CPU interface through ICH/ICV system registers) and GICv2 (vdev/vgic-v2.c:
 * distributor emulated, the hardware GICV frame mapped as the guest GICC).
 * Both front-ends decode their frames with the same register-table type
 * (vdev/vgic-mmio.c). The guest sees the same GIC version as the host.
 *
 * Guest-visible layout (Xen's domU addresses): GICD at 0x03001000, v3 GICR at
 * 0x03020000 (128 KiB per vCPU), v2 GICC at 0x03002000. A direct-mapped dom0
 * sees the host's addresses instead: vgic_domain_set_base().
 *
 * Locking: all vGIC state of a domain (distributor and every vCPU's private
 * interrupts and pending list) is under the one dist->lock, the innermost
 * lock of the hypervisor (domain -> runqueue -> vgic). vcpu_kick() is always
 * called after it is released.
 */
#ifndef CLOISON_VGIC_H
#define CLOISON_VGIC_H

#include <cloison/types.h>
#include <cloison/spinlock.h>
#include <core/domain_mmio.h>

#define VGIC_GICD_BASE 0x03001000UL
#define VGIC_V3_GICD_SIZE 0x10000UL
#define VGIC_V2_GICD_SIZE 0x1000UL
#define VGIC_V3_GICR_BASE 0x03020000UL
#define VGIC_V3_GICR_STRIDE 0x20000UL
#define VGIC_V2_GICC_BASE 0x03002000UL
#define VGIC_V2_GICC_SIZE 0x2000UL

#define VGIC_NR_SGIS 16
#define VGIC_NR_PRIVATE 32 /* SGIs + PPIs, per vCPU */
#define VGIC_MAX_SPIS 988  /* INTIDs 32..1019 */
#define VGIC_MAX_LRS 16

struct vcpu;
struct domain;
struct vgic_dist;

/* State of one virtual interrupt. Protected by its domain's dist->lock. */
struct vgic_irq {
    uint32_t intid;
    uint8_t priority;
    uint8_t config; /* 0 level, 1 edge (ICFGR encoding >> 1) */
    uint8_t group;
    bool enabled;
    bool pending;    /* latch: injected or ISPENDR, not yet in an LR */
    bool line_level; /* level-sensitive input line (vgic_set_level) */
    bool active;
    bool in_lr;            /* written to an LR at the last flush */
    bool lr_latch;         /* ...as pending, from the latch (not the line alone) */
    uint8_t source_mask;   /* v2 SGIs: requesting vCPUs, one bit per vCPU id */
    uint8_t active_source; /* v2 SGIs: the sender of the copy the guest has active */
    bool hw;               /* SPIs: the physical SPI of the same INTID is passed through */
    bool hw_inflight;      /* ...it fired and stays masked until the guest completes this one */
    bool hw_enabled;       /* ...it is unmasked at the physical distributor */
    int16_t hw_pcpu;       /* ...the pCPU it is targeted at, -1 = not set yet */
    int8_t list_vcpu;      /* vCPU whose pending list holds it, or -1 */
    uint64_t route;        /* SPIs: v3 IROUTER / v2 ITARGETSR byte; private: owner vCPU id */
    struct vgic_irq *next_pending; /* link in that vCPU's pending list */
};

/* Per-vCPU state (embedded in struct vcpu). */
struct vgic_cpu {
    struct vgic_irq priv[VGIC_NR_PRIVATE];
    /* Interrupts pending or active for this vCPU (unsorted; the flush sorts). */
    struct vgic_irq *pending_head;
    /* What the last flush wrote, so the sync knows what to read back. */
    uint32_t lr_intid[VGIC_MAX_LRS];
    uint8_t lr_used;
    uint32_t hcr; /* virtual interface HCR as the last flush/sync left it */
    /* Saved virtual interface while the vCPU is not running. */
    uint32_t vmcr;
    uint32_t apr0[4], apr1[4];
    uint32_t gicr_waker; /* v3: ProcessorSleep as the guest set it */
};

/* Boot CPU, once, before interrupts are taken: the maintenance PPI. */
void vgic_init(void);
/* The domain's vGIC, its MMIO windows registered (core/domain_mmio.h; after
 * d->nr_vcpus is set). 0, -ENOMEM or the window's error. */
int vgic_domain_init(struct domain *d, unsigned int nr_spis);
void vgic_domain_destroy(struct domain *d);
/* One line for the 'q' debug key: v's listed interrupts and their state. */
void vgic_dump_vcpu(struct vcpu *v);
/* The domain part (vdev/vgic-part.c): vgic_domain_init with 32 SPIs (dom0:
 * the host's), every vCPU's state, dom0's frames at the host's addresses,
 * GICv2's virtual CPU interface mapped. Undone by vgic_domain_destroy (the
 * mapping goes with the domain's stage 2). */
int vgic_part_init(struct domain *d);
/* v's vGIC state (v->vgic), held by the domain's vGIC: vgic_domain_init()
 * reserves it for the vCPUs the domain has then. */
void vgic_vcpu_init(struct vcpu *v);
/* Move the guest frames and their MMIO windows (dom0 sees the host's GIC
 * addresses). gicr is the v3 redistributor base, ignored on v2. Call before
 * the domain runs and before any other device registers a window. 0, or
 * -EINVAL when the frames at those addresses would overlap. */
int vgic_domain_set_base(struct domain *d, ipa_t gicd, ipa_t gicr);

/* Mark intid pending for v (SGI/PPI) or for the SPI's target (v may be any
 * vCPU of the domain for an SPI). Safe from any pCPU; kicks the target.
 * Out-of-range INTIDs are ignored. */
void vgic_inject(struct vcpu *v, uint32_t intid);
/* Level-sensitive source (e.g. an emulated UART): the line follows `level`. */
void vgic_set_level(struct vcpu *v, uint32_t intid, bool level);
/* Something enabled is pending for v (used to wake a WFI-blocked vCPU). */
bool vgic_vcpu_pending(struct vcpu *v);

/* On the vCPU's own pCPU: */
void vgic_flush(struct vcpu *v);   /* before entering the guest: fill LRs */
void vgic_sync(struct vcpu *v);    /* after leaving the guest: fold LR state back */
void vgic_save(struct vcpu *v);    /* context switch out: virtual interface regs */
void vgic_restore(struct vcpu *v); /* context switch in */

/*
 * Physical SPI passthrough (vdev/vgic-hw.c). A routed SPI keeps its INTID:
 * when it fires at EL2 it is masked at the physical distributor, the virtual
 * SPI is made pending (with an EOI maintenance request in its LR), and it is
 * unmasked once the guest has acknowledged and deactivated the virtual one.
 * Physical SPIs stay targeted at the boot pCPU; the virtual one goes wherever
 * the guest's IROUTER/ITARGETSR says.
 */
/* Give d the SPI intid. Returns 0, -EINVAL (not an SPI the host GIC or d's
 * vGIC has), or -EBUSY (already another domain's, or Cloison's own).
 * Before d runs. The SPI's handler (cloison/irq.h) is registered here and
 * released with d's vGIC. */
int vgic_route_spi(struct domain *d, uint32_t intid);
/* Physical interrupt intid was acknowledged at EL2 (the handler routing
 * registered): forward it if routed. Returns false if no domain owns it.
 * The interrupt controller EOIs it. */
bool vgic_hw_irq(uint32_t intid);

/* Guest MMIO access in the vGIC frames; *val holds the value (zero-extended).
 * MMIO_UNHANDLED: the address is not in a vGIC frame. */
enum mmio_result vgic_mmio(struct vcpu *v, ipa_t addr, unsigned int size, bool write,
                           uint64_t *val);
/* Trapped GIC system register (ICC_SGI1R_EL1 etc.); iss = ESR_EL2.ISS of EC 0x18.
 * Returns false if not a vGIC register. */
bool vgic_sysreg(struct vcpu *v, uint32_t iss, uint64_t *val, bool write);

#endif
