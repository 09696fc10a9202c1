/* Building a domain's memory image (core/domain_build.c). */
#ifndef CLOISON_DOMAIN_BUILD_H
#define CLOISON_DOMAIN_BUILD_H
#include <cloison/types.h>
struct domain;
struct domain_cfg;

struct ram_chunk {
    ipa_t ipa;
    paddr_t pa;
    unsigned int order;
};

int domain_alloc_ram(struct domain *d, uint64_t bytes);
void domain_free_ram(struct domain *d);
/* Copy into the domain's RAM at an IPA; -EINVAL if not entirely RAM. */
int domain_write_ipa(struct domain *d, ipa_t ipa, const void *src, uint64_t len);
/* Load kernel, initrd and DT; on success entry and dtb receive the boot IPAs. */
int domain_load_images(struct domain *d, const struct domain_cfg *cfg, uint64_t *entry,
                       uint64_t *dtb);
#endif
