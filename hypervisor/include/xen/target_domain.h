/*
 * The domain a hypercall names, looked up and permission-checked in one
 * place (Xen's rcu_lock_domain_by_{any_,}id followed by its default XSM
 * check), so every hypercall that acts on another domain applies the same
 * rule in the same order: -ESRCH for no such domain, then -EPERM.
 */
#ifndef XEN_TARGET_DOMAIN_H
#define XEN_TARGET_DOMAIN_H

#include <cloison/types.h>

struct domain;
struct vcpu;

/* DOMID_SELF names the caller (Xen's rcu_lock_domain_by_any_id); without
 * it DOMID_SELF, like every reserved id, is -ESRCH. */
#define TARGET_SELF_ID (1u << 0)
/* The domain must have the Xen interface (else -ESRCH, as if absent). */
#define TARGET_XEN (1u << 1)
/* Only the control domain may act, on any domain (XSM_PRIV). Default:
 * a domain may act on itself, the control domain on any (XSM_TARGET). */
#define TARGET_CONTROL (1u << 2)
/* No permission check: the caller applies a rule of its own. */
#define TARGET_ANY_CALLER (1u << 3)

/* The named domain, referenced (release it with domain_put), or NULL with
 * *rc set to -ESRCH or -EPERM. */
struct domain *target_domain_get(const struct vcpu *v, uint32_t domid, unsigned int flags, int *rc);

#endif
