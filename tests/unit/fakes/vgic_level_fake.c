/*
 * The vGIC's level input for the hypercall world (fakes/hypercall_fake.h),
 * where emulated devices run for real (the vPL011 of vuart_op) but there is
 * no vGIC: each domain's lines as the device last set them.
 */
#include <core/domain.h>
#include <core/vcpu.h>
#include <vdev/vgic.h>
#include "hypercall_fake.h"

bool fake_spi_level[FAKE_P2M_DOMS][64];
unsigned int fake_spi_changes[FAKE_P2M_DOMS];

void vgic_set_level(struct vcpu *v, uint32_t intid, bool level)
{
    uint16_t id = v->domain->id;
    if (id >= FAKE_P2M_DOMS || intid >= 64)
        return;
    fake_spi_level[id][intid] = level;
    fake_spi_changes[id]++;
}
