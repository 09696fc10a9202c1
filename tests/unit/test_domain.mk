# Domain creation: parts, RAM, ids (domain_world.mk, domain_world.c).
include tests/unit/domain_world.mk
UNIT_SRCS_test_domain := $(DOMAIN_WORLD_SRCS) tests/unit/domain_world.c
UNIT_CFLAGS_test_domain := $(DOMAIN_WORLD_CFLAGS)
