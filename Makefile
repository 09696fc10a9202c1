# Cloison: one entry point for build, run, tests, lint and benchmarks.
#   make deps   install what is missing (Debian 12, root)
#   make        build/cloison (arm64 Image), test guests, host unit tests
#   make run    Cloison + Debian's Xen toolstack in dom0, one domU by xl create, dom0's shell
#               (HV=xen: the same under Xen 4.17; DEMO=check: non-interactive, with a verdict;
#               DEMO=guests: the dom0less test guests, no dom0; DEMO=speedometer: a periodic
#               guest in a null cpupool keeps its deadlines, live, beside a crash-looping Linux;
#               DEMO=speedometer-check: the same with a verdict)
#   make check  lint + host unit tests + fuzzers briefly + integration tests
#   make bench  benchmarks, printed side by side with baselines (BENCH_MANY=0: shorter)
.DEFAULT_GOAL := all
.SUFFIXES:
MAKEFLAGS += --no-builtin-rules

BUILD   ?= build
CROSS   ?= aarch64-linux-gnu-
CC      := $(CROSS)gcc
LD      := $(CROSS)ld
OBJCOPY := $(CROSS)objcopy
HOSTCC  ?= gcc
PYTEST  := /usr/bin/python3 -m pytest

include config/warnings.mk

# libfdt headers are architecture-independent; copy them apart from /usr/include
# so the freestanding builds never see the host libc headers.
FDTINC  := $(BUILD)/fdtinc
LIBFDT_A := /usr/lib/aarch64-linux-gnu/libfdt.a
GCC_INC := $(shell $(CC) -print-file-name=include 2>/dev/null)

# Flags for every freestanding AArch64 build (hypervisor and test guests).
FREESTANDING_CFLAGS := -std=c11 -O2 -g -ffreestanding -nostdinc -isystem $(GCC_INC) \
    -fno-pic -fno-pie -fno-stack-protector -fno-strict-aliasing -mno-outline-atomics -fno-omit-frame-pointer -fno-common \
    -mstrict-align -mgeneral-regs-only -mcpu=cortex-a57 \
    -Ihypervisor/lib/include -Iinclude -I$(FDTINC) $(WARN)

$(FDTINC)/.stamp:
	@mkdir -p $(FDTINC)
	cp /usr/include/libfdt.h /usr/include/fdt.h /usr/include/libfdt_env.h $(FDTINC)/
	@touch $@

include hypervisor/build.mk
-include tests/guests/build.mk
-include tests/guests/aarch32/build.mk
-include tests/unit/build.mk
-include tests/dom0/build.mk

all: $(BUILD)/cloison $(ALL_EXTRA)

.PHONY: all deps run check lint hv-objects unit integration bench clean guests-fetch
deps:
	@sh scripts/deps.sh

# The demo's dom0 is the toolstack one (guests-fetch builds its file system).
HV   ?= cloison
DEMO ?=
DEMO_FLAGS.      :=
DEMO_FLAGS.check := --check
DEMO_FLAGS.guests := --guests
DEMO_FLAGS.speedometer := --speedometer
DEMO_FLAGS.speedometer-check := --speedometer --check
run: deps
	@case "$(DEMO)" in ""|check|guests|speedometer|speedometer-check) ;; *) echo "make run: DEMO=$(DEMO)? (check, guests, speedometer, speedometer-check or unset)"; exit 2;; esac
	@case "$(HV)" in cloison|xen) ;; *) echo "make run: HV=$(HV)? (cloison or xen)"; exit 2;; esac
	$(MAKE) all
	$(if $(filter guests,$(DEMO)),,$(MAKE) guests-fetch)
	$(if $(filter xen,$(HV)),sh scripts/fetch-xen.sh)
	/usr/bin/python3 scripts/demo.py --hv $(HV) $(DEMO_FLAGS.$(DEMO))

# Lint reads the hypervisor's objects too (scripts/layers.py): build them first.
lint: deps
	$(MAKE) hv-objects
	BUILD=$(BUILD) sh scripts/lint.sh

hv-objects: $(HV_OBJS)

check: deps
	$(MAKE) all
	$(MAKE) lint
	$(MAKE) unit
	$(MAKE) fuzz-smoke
	$(MAKE) integration

# Xen 4.17 (Debian's package) is the reference the parity tests and benchmarks
# compare against; fetched into .cache/, never committed.
# Guests nobody here wrote (Debian's kernel and busybox) are fetched into
# .cache/ and the initramfs built, before the suite runs.
# The initramfs carries the dom0 test tools (tests/dom0): build them first.
# The toolstack dom0's file system holds Debian's Xen 4.17 userspace (fetched with
# its libraries) and that initramfs for its domUs.
guests-fetch: $(DOM0_TOOLS) $(GUEST_OUT)/xen_ctl.img $(GUEST_OUT)/latency.img $(GUEST_OUT)/spin.img
	sh scripts/fetch-guests.sh
	BUILD=$(BUILD) /usr/bin/python3 scripts/mkinitramfs.py --dom0-tools $(DOM0_OUT)
	sh scripts/fetch-armhf.sh
	BUILD=$(BUILD) /usr/bin/python3 scripts/mkinitramfs.py --arch armhf
	/usr/bin/python3 scripts/fetch-xen-tools.py
	BUILD=$(BUILD) /usr/bin/python3 scripts/mkdom0fs.py
	/usr/bin/python3 scripts/fetch-libvirt.py
	BUILD=$(BUILD) /usr/bin/python3 scripts/mklibvirtfs.py

integration: all guests-fetch
	sh scripts/fetch-xen.sh
	$(PYTEST) -v tests/integration

# BENCH_MANY: small domains kept running for the toolstack bench's second set of
# figures (0 skips that part, the longest).
BENCH_MANY ?= 50
# BENCH_XL_MANY: small domains the xl create loop makes (issue 11: 1,000), under
# -icount; Xen's side stops at BENCH_XL_MANY_XEN (its creates take far longer).
BENCH_XL_MANY ?= 1000
BENCH_XL_MANY_XEN ?= 200
bench: deps
	$(MAKE) all
	$(MAKE) guests-fetch
	sh scripts/fetch-xen.sh
	/usr/bin/python3 bench/run.py
	/usr/bin/python3 bench/micro.py
	/usr/bin/python3 bench/density.py
	/usr/bin/python3 bench/toolstack.py --many $(BENCH_MANY)
	/usr/bin/python3 bench/xl_many.py --mode icount --n $(BENCH_XL_MANY) --xen-n $(BENCH_XL_MANY_XEN)
	/usr/bin/python3 bench/linux_boot.py
	/usr/bin/python3 bench/aarch32.py
	/usr/bin/python3 bench/scale.py
	/usr/bin/python3 bench/sched.py

clean:
	rm -rf $(BUILD)
