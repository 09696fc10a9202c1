# A dying vCPU's timers cannot outlive it (see the test's header): core's
# domain lifecycle over the fakes of domain_world.mk.
include tests/unit/domain_world.mk
UNIT_SRCS_test_dying_vcpu_timers := $(DOMAIN_WORLD_SRCS)
UNIT_CFLAGS_test_dying_vcpu_timers := $(DOMAIN_WORLD_CFLAGS)
