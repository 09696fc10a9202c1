# Host unit tests (included by the top Makefile).
#
# Each test is tests/unit/test_<name>.c plus tests/unit/test_<name>.mk, which sets
#   UNIT_SRCS_test_<name>   := sources under test (the test .c is implicit)
#   UNIT_LIBS_test_<name>   := extra link inputs, e.g. $(UNIT_LIBFDT)   (optional)
#   UNIT_CFLAGS_test_<name> := extra compile flags                        (optional)
#   UNIT_KNOWN_BUG_test_<name> := the bug it shows, not fixed yet         (optional)
# and becomes build/unit/test_<name>, built by `make` and run by `make unit`.
# tests/include holds what host tests and test guests share (test_rng.h).
# Stand-ins for the rest of the hypervisor (allocator, locks, stage 2, GIC
# hardware) live in tests/unit/fakes/, one place for every test.
# Objects are per test (build/unit/obj/test_<name>/<path>.o) so flags never leak
# between tests.

UNIT_LIBFDT := /usr/lib/x86_64-linux-gnu/libfdt.so.1

# The hypervisor's lib/include holds its own string.h and stdlib.h: searched
# after the system directories (-idirafter), <string.h> stays libc's while
# <lib/...> headers are still found.
# The arm64 headers come last and only for plain data layouts (asm/vcpu_arch.h):
# one that carries inline assembly fails to build here, which is the point.
UNIT_INC := -Itests/unit -Itests/include -Ihypervisor/include -Iinclude \
            -I$(FDTINC) -idirafter hypervisor/lib/include -idirafter hypervisor/arch/arm64/include
UNIT_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all
UNIT_BASE_CFLAGS := -std=c11 -g -O1 -fno-omit-frame-pointer $(UNIT_INC) $(WARN)
UNIT_CFLAGS := $(UNIT_BASE_CFLAGS) $(UNIT_SAN)

# lib/ sources that define C library names are built with those names
# prefixed by lib_ (see lib_rename.h), so the host libc stays intact.
UNIT_RENAMED := hypervisor/lib/string.c hypervisor/lib/strtoul.c hypervisor/lib/printf.c
UNIT_RENAME_FLAGS := -DLIB_RENAME -include tests/unit/lib_rename.h

# Linked into every test: the host panic() (a failed ASSERT prints and aborts).
UNIT_COMMON_SRCS := tests/unit/fakes/panic.c

UNIT_MKS := $(sort $(wildcard tests/unit/test_*.mk))
UNIT_NAMES := $(patsubst tests/unit/%.mk,%,$(UNIT_MKS))
UNIT_BINS := $(addprefix $(BUILD)/unit/,$(UNIT_NAMES))
include $(UNIT_MKS)

# $(1) = test_<name>
define UNIT_TEST_template
UNIT_OBJS_$(1) := $$(patsubst %.c,$(BUILD)/unit/obj/$(1)/%.o,tests/unit/$(1).c $$(UNIT_SRCS_$(1)) \
                    $(UNIT_COMMON_SRCS))

# -MD, not -MMD: lib/include and the arm64 headers come in through -idirafter,
# which makes them system headers, and -MMD would leave them out of the .d files
# (an object kept its old view of a changed lib header).
$(BUILD)/unit/obj/$(1)/%.o: %.c $(FDTINC)/.stamp tests/unit/$(1).mk
	@mkdir -p $$(dir $$@)
	$(HOSTCC) $(UNIT_CFLAGS) $$(UNIT_CFLAGS_$(1)) \
	    $$(if $$(filter $$<,$(UNIT_RENAMED)),$(UNIT_RENAME_FLAGS)) -MD -MP -c $$< -o $$@

$(BUILD)/unit/$(1): $$(UNIT_OBJS_$(1))
	$(HOSTCC) $(UNIT_CFLAGS) -o $$@ $$^ $$(UNIT_LIBS_$(1))

-include $$(UNIT_OBJS_$(1):.o=.d)
endef
$(foreach t,$(UNIT_NAMES),$(eval $(call UNIT_TEST_template,$(t))))

ALL_EXTRA += $(UNIT_BINS)

# A known bug's test is run and reported, but counted only once it passes,
# and then as a failure until its mark goes (tests/unit/run.sh).
UNIT_KNOWN_BUGS := $(foreach t,$(UNIT_NAMES),$(if $(UNIT_KNOWN_BUG_$(t)),$(BUILD)/unit/$(t)))

# Runs every test binary; the last line is "N passed, N failed" (CI counts it).
unit: $(UNIT_BINS)
	@UNIT_KNOWN_BUGS='$(UNIT_KNOWN_BUGS)' sh tests/unit/run.sh $(UNIT_BINS)

-include tests/fuzz/build.mk
