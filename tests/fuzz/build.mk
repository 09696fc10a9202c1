# libFuzzer targets (clang), included from tests/unit/build.mk.
#
# Each fuzzer is tests/fuzz/fuzz_<name>.c plus tests/fuzz/fuzz_<name>.mk, which sets
#   FUZZ_SRCS_fuzz_<name>   := sources under test (the fuzzer .c is implicit)
#   FUZZ_LIBS_fuzz_<name>   := extra link inputs                      (optional)
#   FUZZ_CFLAGS_fuzz_<name> := extra compile flags                    (optional)
# `make fuzz` builds build/fuzz/fuzz_<name> and runs each for FUZZ_SECONDS,
# keeping the corpus in build/fuzz/corpus/<name> (seeded from
# tests/fuzz/corpus/<name>/, written by tests/fuzz/mkseeds.py).
# `make fuzz-smoke` (part of `make check`) runs each for FUZZ_SMOKE_SECONDS
# from its committed seeds alone, in a corpus it empties first.

FUZZ_CC ?= clang
FUZZ_SECONDS ?= 20
FUZZ_SMOKE_SECONDS ?= 3
FUZZ_CFLAGS := -std=c11 -g -O1 -fno-omit-frame-pointer \
               -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
               $(UNIT_INC) $(WARN)

FUZZ_MKS := $(sort $(wildcard tests/fuzz/fuzz_*.mk))
FUZZ_NAMES := $(patsubst tests/fuzz/%.mk,%,$(FUZZ_MKS))
FUZZ_BINS := $(addprefix $(BUILD)/fuzz/,$(FUZZ_NAMES))
include $(FUZZ_MKS)

# $(1) = fuzz_<name>
define FUZZ_template
FUZZ_OBJS_$(1) := $$(patsubst %.c,$(BUILD)/fuzz/obj/$(1)/%.o,tests/fuzz/$(1).c $$(FUZZ_SRCS_$(1)) \
                    $(UNIT_COMMON_SRCS))

# -MD, not -MMD: lib/include and the arm64 headers come in through -idirafter,
# which makes them system headers, and -MMD would leave them out of the .d files
# (an object kept its old view of a changed lib header).
$(BUILD)/fuzz/obj/$(1)/%.o: %.c $(FDTINC)/.stamp tests/fuzz/$(1).mk
	@mkdir -p $$(dir $$@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $$(FUZZ_CFLAGS_$(1)) \
	    $$(if $$(filter $$<,$(UNIT_RENAMED)),$(UNIT_RENAME_FLAGS)) -MD -MP -c $$< -o $$@

$(BUILD)/fuzz/$(1): $$(FUZZ_OBJS_$(1))
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $$@ $$^ $$(FUZZ_LIBS_$(1))

-include $$(FUZZ_OBJS_$(1):.o=.d)
endef
$(foreach t,$(FUZZ_NAMES),$(eval $(call FUZZ_template,$(t))))

.PHONY: fuzz fuzz-build fuzz-smoke
fuzz-build: $(FUZZ_BINS)

# Runs each fuzzer in turn for $(1) seconds with corpora under $(2); stops at
# the first crash and shows its report; prints each one's final coverage
# (cov: edges, ft: features) and exec/s.
define FUZZ_RUN
	@set -e; for f in $(FUZZ_NAMES); do \
	    corpus=$(2)/$${f#fuzz_}; mkdir -p $$corpus; \
	    seeds=tests/fuzz/corpus/$${f#fuzz_}; [ -d $$seeds ] || seeds=; \
	    echo "fuzz: $$f for $(1)s"; \
	    if ! $(BUILD)/fuzz/$$f -max_total_time=$(1) -timeout=10 -rss_limit_mb=2048 \
	        -artifact_prefix=$(BUILD)/fuzz/$$f- $$corpus $$seeds > $(BUILD)/fuzz/$$f.log 2>&1; then \
	        tail -n 60 $(BUILD)/fuzz/$$f.log; echo "fuzz: $$f FAILED (log $(BUILD)/fuzz/$$f.log)"; exit 1; \
	    fi; \
	    grep -E '^(#[0-9]+[[:space:]]+DONE|Done)' $(BUILD)/fuzz/$$f.log | tail -n 2; \
	done; echo "fuzz: all $(words $(FUZZ_NAMES)) fuzzers clean"
endef

fuzz: $(FUZZ_BINS)
	$(call FUZZ_RUN,$(FUZZ_SECONDS),$(BUILD)/fuzz/corpus)

fuzz-smoke: $(FUZZ_BINS)
	@rm -rf $(BUILD)/fuzz/smoke
	$(call FUZZ_RUN,$(FUZZ_SMOKE_SECONDS),$(BUILD)/fuzz/smoke)
