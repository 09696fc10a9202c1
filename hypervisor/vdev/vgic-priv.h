/*
 * Private to the vGIC: the distributor state, the front-end operations and
 * the register-table type both front-ends decode their frames with.
 */
#ifndef VDEV_VGIC_PRIV_H
#define VDEV_VGIC_PRIV_H

#include <cloison/types.h>
#include <cloison/assert.h>
#include <drivers/irqchip.h>
#include <cloison/spinlock.h>
#include <vdev/vgic.h>

struct vcpu;

/* One list register, independent of its v2/v3 encoding. */
struct vgic_lr {
    uint32_t intid;
    uint8_t priority;
    uint8_t group;
    uint8_t source; /* v2 SGIs: requesting vCPU */
    bool pending, active;
    bool eoi_maint; /* maintenance interrupt when the guest deactivates it */
};

/* What differs between GICv2 and GICv3 guests. */
struct vgic_ops {
    enum gic_version version;
    uint8_t reset_group; /* IGROUPR reset value (v3 guests run Group 1) */
    uint64_t (*lr_encode)(const struct vgic_lr *lr);
    void (*lr_decode)(uint64_t raw, struct vgic_lr *lr);
    /* vCPU an SPI goes to, from irq->route; -1 if none. Lock held. */
    int (*spi_target)(const struct vgic_dist *dist, const struct vgic_irq *irq);
    enum mmio_result (*mmio)(struct vcpu *v, ipa_t addr, unsigned int size, bool write,
                             uint64_t *val);
    bool (*sysreg)(struct vcpu *v, uint32_t iss, uint64_t *val, bool write);
};

extern const struct vgic_ops vgic_v2_ops, vgic_v3_ops;

/* GICD_CTLR group enables (v2 and v3 with DS=1 agree). */
#define VGIC_CTLR_ENGRP0 BIT(0)
#define VGIC_CTLR_ENGRP1 BIT(1)

struct vgic_dist {
    spinlock_t lock;
    struct domain *d;
    const struct vgic_ops *ops;
    ipa_t gicd_base, gicr_base;
    uint32_t ctlr;          /* guest-written group enables */
    uint8_t pri_mask;       /* implemented priority bits (as the hardware LRs) */
    unsigned int nr_spis;   /* a multiple of 32 */
    unsigned int nr_intids; /* 32 + nr_spis, at most 1020 */
    struct vgic_cpu *cpus;  /* per vCPU (v->vgic), as many as the domain had at init */
    struct vgic_irq spis[];
};

/* --- state core (vgic.c); "locked" functions need dist->lock held --- */

/* The interrupt intid as v sees it (private ones are v's), or NULL if the
 * INTID is out of range. v may be NULL when only SPIs are wanted. */
struct vgic_irq *vgic_get_irq(struct vgic_dist *dist, struct vcpu *v, uint32_t intid);
/* After any change to irq's state: put it on its target's pending list (or
 * move it) if it must be delivered; targets to kick are added to *kick. */
void vgic_irq_update_locked(struct vgic_dist *dist, struct vgic_irq *irq, uint32_t *kick);
/* Re-evaluate every interrupt (distributor enable changed). */
void vgic_update_all_locked(struct vgic_dist *dist, uint32_t *kick);
/* Pending, enabled and its group enabled: may be signalled to the guest. */
bool vgic_irq_can_signal(const struct vgic_dist *dist, const struct vgic_irq *irq);
/* Guest-visible pending state (ISPENDR). */
bool vgic_irq_pending_state(const struct vgic_irq *irq);
void vgic_irq_set_pending_locked(struct vgic_dist *dist, struct vgic_irq *irq, bool pend,
                                 uint32_t *kick);
/* SGI sgi from src to every vCPU in targets (bit i = vCPU i). Lock held. */
void vgic_send_sgi_locked(struct vgic_dist *dist, struct vcpu *src, uint32_t targets, uint32_t sgi,
                          uint32_t *kick);
/* Wake the vCPUs in mask; call without the lock. */
void vgic_kick_mask(struct domain *d, uint32_t mask);

/* --- physical SPI passthrough (vgic-hw.c) --- */

/* A passed-through SPI's state changed: unmask the physical SPI once the
 * guest has completed the forwarded one and while it has it enabled, mask it
 * otherwise. No-op for virtual-only interrupts. Lock held. */
void vgic_hw_update_locked(struct vgic_irq *irq);
/* Target the physical SPI at pcpu (where the vCPU it is routed to runs). */
void vgic_hw_retarget_locked(struct vgic_irq *irq, unsigned int pcpu);
/* The guest changed its trigger type: apply it to the physical SPI. */
void vgic_hw_reconfig_locked(struct vgic_irq *irq);
/* Mask and forget every physical SPI routed to d (domain teardown). */
void vgic_hw_release(struct domain *d);

/* --- register tables (vgic-mmio.c) --- */

/* What one guest access is about. */
struct vgic_mmio_ctx {
    struct vgic_dist *dist;
    struct vcpu *v;    /* the accessing vCPU */
    struct vcpu *priv; /* whose INTIDs 0..31 the frame shows, or NULL */
    bool spis;         /* the frame shows INTIDs >= 32 */
    uint32_t kick;     /* vCPUs to kick once the lock is dropped */
};

/* Access sizes a register accepts. */
#define VGIC_SZ_8 BIT(0)
#define VGIC_SZ_16 BIT(1)
#define VGIC_SZ_32 BIT(2)
#define VGIC_SZ_64 BIT(3)

/*
 * One register or register array of a frame. Per-interrupt arrays (bits != 0)
 * give get/set of one interrupt's field, and the table walker splits an
 * access into fields: INTIDs the frame does not show are RAZ/WI. Whole
 * registers (bits == 0) give read/write with the byte offset inside the entry.
 */
struct vgic_reg {
    uint32_t offset, len;
    uint8_t bits;
    uint8_t sizes;
    uint32_t (*get)(struct vgic_mmio_ctx *c, struct vgic_irq *irq);
    void (*set)(struct vgic_mmio_ctx *c, struct vgic_irq *irq, uint32_t field);
    uint64_t (*read)(struct vgic_mmio_ctx *c, uint32_t off, unsigned int size);
    void (*write)(struct vgic_mmio_ctx *c, uint32_t off, unsigned int size, uint64_t val);
};

struct vgic_reg_table {
    const struct vgic_reg *regs;
    size_t count;
};

/* The per-interrupt registers v2 and v3 share (IGROUPR ... ICFGR). */
extern const struct vgic_reg_table vgic_mmio_common;

/* Decode one access at off in a frame made of the given tables (searched in
 * order); takes dist->lock and kicks afterwards. Unknown offsets are RAZ/WI;
 * a misaligned or wrongly sized access is MMIO_ABORT. */
enum mmio_result vgic_mmio_access(struct vgic_mmio_ctx *c, const struct vgic_reg_table *tables,
                                  size_t nr_tables, uint32_t off, unsigned int size, bool write,
                                  uint64_t *val);

/* Registers both front-ends return alike. */
#define VGIC_IIDR 0x0000043bU /* implementer ARM */
uint64_t vgic_mmio_raz(struct vgic_mmio_ctx *c, uint32_t off, unsigned int size);
void vgic_mmio_wi(struct vgic_mmio_ctx *c, uint32_t off, unsigned int size, uint64_t val);

#endif
