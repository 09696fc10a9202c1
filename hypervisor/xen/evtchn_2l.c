/*
 * 2-level event delivery on a domain's shared_info (Xen ABI doc 4.1.1-4.1.3):
 * port p is bit p%64 of word p/64 of evtchn_pending / evtchn_mask; bit w of a
 * vCPU's evtchn_pending_sel says word w has news. The guest updates the same
 * words concurrently, so every change here is an atomic read-modify-write.
 */
#include <xen/evtchn.h>
#include <xen/xen_domain.h>

#define WORD_BITS 64

static bool test_and_set(uint64_t *w, unsigned int bit)
{
    uint64_t m = 1ULL << bit;
    return __atomic_fetch_or(w, m, __ATOMIC_SEQ_CST) & m;
}

static bool test_bit(const uint64_t *w, unsigned int bit)
{
    return __atomic_load_n(w, __ATOMIC_SEQ_CST) & (1ULL << bit);
}

/* The word of `port` has news for `vcpu`: flag it and, on the 0->1 edge of its
 * selector bit, set evtchn_upcall_pending and assert the upcall. */
static void notify_word(struct xen_dom *x, uint32_t vcpu, uint32_t port)
{
    struct vcpu_info *vi = xen_vcpu_info(x, vcpu);
    if (test_and_set(&vi->evtchn_pending_sel, port / WORD_BITS))
        return;
    __atomic_store_n(&vi->evtchn_upcall_pending, 1, __ATOMIC_SEQ_CST);
    if (vi != &x->dummy_vi)
        xen_upcall_raise(x, vcpu);
}

void evtchn_2l_set_pending(struct xen_dom *x, uint32_t vcpu, uint32_t port)
{
    struct shared_info *s = x->shinfo;
    if (test_and_set(&s->evtchn_pending[port / WORD_BITS], port % WORD_BITS))
        return; /* already pending: the guest has been told */
    if (!test_bit(&s->evtchn_mask[port / WORD_BITS], port % WORD_BITS))
        notify_word(x, vcpu, port);
}

void evtchn_2l_clear_pending(struct xen_dom *x, uint32_t port)
{
    __atomic_fetch_and(&x->shinfo->evtchn_pending[port / WORD_BITS], ~(1ULL << (port % WORD_BITS)),
                       __ATOMIC_SEQ_CST);
}

void evtchn_2l_unmask(struct xen_dom *x, uint32_t vcpu, uint32_t port)
{
    struct shared_info *s = x->shinfo;
    uint64_t m = 1ULL << (port % WORD_BITS);
    uint64_t was = __atomic_fetch_and(&s->evtchn_mask[port / WORD_BITS], ~m, __ATOMIC_SEQ_CST);
    /* An event that arrived while masked is delivered now. */
    if ((was & m) && test_bit(&s->evtchn_pending[port / WORD_BITS], port % WORD_BITS))
        notify_word(x, vcpu, port);
}

void evtchn_2l_kick_all(struct xen_dom *x, uint32_t vcpu)
{
    struct vcpu_info *vi = xen_vcpu_info(x, vcpu);
    __atomic_store_n(&vi->evtchn_pending_sel, ~0ULL, __ATOMIC_SEQ_CST);
    __atomic_store_n(&vi->evtchn_upcall_pending, 1, __ATOMIC_SEQ_CST);
    if (vi != &x->dummy_vi)
        xen_upcall_raise(x, vcpu);
}
