/* vCPU creation and architectural reset state; the vCPU this pCPU runs. */
#include <core/domain.h>
#include <cloison/mm.h>
#include <cloison/percpu.h>
#include <core/sched.h>
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
    /* Its timers now, before any other pCPU can see it (core/timer.h); the
     * emulated physical timer's is set up by its owner's domain part. */
    sched_init_vcpu(v);
    vcpu_reset(v, 0, 0);
    return v;
}

void vcpu_reset(struct vcpu *v, uint64_t pc, uint64_t x0)
{
    arch_vcpu_reset(&v->arch, v->id, pc, x0);
}

void vcpu_reset_boot(struct vcpu *v, uint64_t pc, uint64_t dtb)
{
    arch_vcpu_boot(&v->arch, v->id, pc, dtb);
}

struct vcpu *current_vcpu(void)
{
    return this_pcpu()->current;
}
