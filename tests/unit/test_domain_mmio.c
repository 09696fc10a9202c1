/* core/domain_mmio.c: windows added, found by IPA, refused when they
 * overlap or do not fit, removed by handler and opaque. */
#include <string.h>

#include "harness.h"

#include <cloison/errno.h>
#include <core/domain.h>
#include <core/domain_mmio.h>

static struct domain dom;
static int tag_a, tag_b;

static enum mmio_result dev_a(struct vcpu *v, ipa_t ipa, unsigned int size, bool write,
                              uint64_t *val, void *opaque)
{
    return MMIO_HANDLED;
}

static enum mmio_result dev_b(struct vcpu *v, ipa_t ipa, unsigned int size, bool write,
                              uint64_t *val, void *opaque)
{
    return MMIO_ABORT;
}

TEST(find_by_ipa)
{
    memset(&dom, 0, sizeof(dom));
    CHECK(domain_mmio_find(&dom, 0x1000) == NULL);
    CHECK_EQ(domain_mmio_add(&dom, 0x1000, 0x1000, dev_a, &tag_a), 0);
    CHECK_EQ(domain_mmio_add(&dom, 0x3000, 0x2000, dev_b, &tag_b), 0);
    CHECK(domain_mmio_find(&dom, 0xfff) == NULL);
    const struct mmio_window *w = domain_mmio_find(&dom, 0x1000);
    CHECK(w && w->fn == dev_a && w->opaque == &tag_a);
    CHECK(domain_mmio_find(&dom, 0x1fff) == w);
    CHECK(domain_mmio_find(&dom, 0x2000) == NULL);
    w = domain_mmio_find(&dom, 0x4fff);
    CHECK(w && w->fn == dev_b && w->base == 0x3000 && w->size == 0x2000);
    CHECK(domain_mmio_find(&dom, 0x5000) == NULL);
    CHECK(domain_mmio_find(&dom, ~0ULL) == NULL);
}

TEST(refuses_overlap_empty_wrap_and_too_many)
{
    memset(&dom, 0, sizeof(dom));
    CHECK_EQ(domain_mmio_add(&dom, 0x1000, 0x1000, dev_a, &tag_a), 0);
    CHECK_EQ(domain_mmio_add(&dom, 0x1800, 0x1000, dev_b, &tag_b), -EINVAL);
    CHECK_EQ(domain_mmio_add(&dom, 0x0800, 0x1000, dev_b, &tag_b), -EINVAL);
    CHECK_EQ(domain_mmio_add(&dom, 0x0000, 0x4000, dev_b, &tag_b), -EINVAL);
    CHECK_EQ(domain_mmio_add(&dom, 0x8000, 0, dev_b, &tag_b), -EINVAL);
    CHECK_EQ(domain_mmio_add(&dom, ~0ULL - 0xff, 0x1000, dev_b, &tag_b), -EINVAL);
    CHECK_EQ(domain_mmio_add(&dom, 0x8000, 0x1000, NULL, &tag_b), -EINVAL);
    CHECK_EQ(dom.mmio.nr, 1);
    CHECK_EQ(domain_mmio_add(&dom, 0x0000, 0x1000, dev_b, &tag_b), 0); /* adjacent is fine */
    for (unsigned int i = 2; i < DOMAIN_MMIO_WINDOWS; i++)
        CHECK_EQ(domain_mmio_add(&dom, 0x10000 * i, 0x1000, dev_b, &tag_b), 0);
    CHECK_EQ(domain_mmio_add(&dom, 0x100000, 0x1000, dev_b, &tag_b), -ENOSPC);
    CHECK(domain_mmio_find(&dom, 0x1000)->fn == dev_a);
}

TEST(remove_by_handler_and_opaque)
{
    int other;
    memset(&dom, 0, sizeof(dom));
    CHECK_EQ(domain_mmio_add(&dom, 0x1000, 0x1000, dev_a, &tag_a), 0);
    CHECK_EQ(domain_mmio_add(&dom, 0x2000, 0x1000, dev_b, &tag_b), 0);
    CHECK_EQ(domain_mmio_add(&dom, 0x3000, 0x1000, dev_a, &tag_a), 0);
    CHECK_EQ(domain_mmio_add(&dom, 0x4000, 0x1000, dev_a, &other), 0);
    domain_mmio_remove(&dom, dev_a, &tag_a);
    CHECK_EQ(dom.mmio.nr, 2);
    CHECK(domain_mmio_find(&dom, 0x1000) == NULL);
    CHECK(domain_mmio_find(&dom, 0x3000) == NULL);
    CHECK(domain_mmio_find(&dom, 0x2000)->fn == dev_b);
    CHECK(domain_mmio_find(&dom, 0x4000)->opaque == &other);
    domain_mmio_remove(&dom, dev_b, &tag_a); /* nothing registered so: no-op */
    CHECK_EQ(dom.mmio.nr, 2);
    domain_mmio_remove(&dom, dev_b, &tag_b);
    domain_mmio_remove(&dom, dev_a, &other);
    CHECK_EQ(dom.mmio.nr, 0);
    CHECK_EQ(domain_mmio_add(&dom, 0x1000, 0x1000, dev_b, &tag_b), 0); /* room again */
}
