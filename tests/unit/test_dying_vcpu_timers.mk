# Known bug: a dead vCPU's timer armed after its kill outlives it (see the
# test's header). Remove the mark when the fix lands; tests/unit/run.sh then
# counts this binary like any other.
include tests/unit/domain_world.mk
UNIT_SRCS_test_dying_vcpu_timers := $(DOMAIN_WORLD_SRCS)
UNIT_CFLAGS_test_dying_vcpu_timers := $(DOMAIN_WORLD_CFLAGS)
UNIT_KNOWN_BUG_test_dying_vcpu_timers := a dead vCPU's timer armed after its kill outlives it
