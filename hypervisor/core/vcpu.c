/* vCPU creation and architectural reset state. */
#include <core/domain.h>
#include <cloison/mm.h>
#include <core/vcpu.h>
#include <string.h>

struct vcpu *vcpu_create(struct domain *d, unsigned int id);
struct vcpu *vcpu_create(struct domain *d, unsigned int id)
{
    struct vcpu *v = xzalloc(sizeof(*v));
    if (!v)
        return NULL;
    v->domain = d;
    v->id = id;
    v->state = VCPU_OFF;
    vcpu_reset(v, 0, 0);
    return v;
}
