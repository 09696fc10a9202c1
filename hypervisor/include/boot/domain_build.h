/* Building a domain's memory image (boot/domain_build.c). */
#ifndef CLOISON_DOMAIN_BUILD_H
#define CLOISON_DOMAIN_BUILD_H
#include <cloison/types.h>
#include <core/domain_ram.h>
struct domain;
struct domain_cfg;

/* Copy into the domain's RAM at an IPA; -EINVAL if not entirely RAM. */
int domain_write_ipa(struct domain *d, ipa_t ipa, const void *src, uint64_t len);
/* Create the domain (core), load its images and start it; the same again when
 * its policy restarts it. NULL if it could not be built (reported). */
struct domain *domain_build(const struct domain_cfg *cfg);
/* A restart of what domain_build() built, in bounded steps (a
 * domain_rebuild_fn, core/domain.h). */
struct domain_rebuild;
int domain_rebuild_step(struct domain_rebuild *rb, uint64_t budget);
/* Load kernel, initrd and DT; on success entry and dtb receive the boot IPAs. */
int domain_load_images(struct domain *d, const struct domain_cfg *cfg, uint64_t *entry,
                       uint64_t *dtb);
#endif
