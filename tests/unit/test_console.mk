# Guest console output: line assembly, prefixes, partial lines, per-domain log, rate limit.
include tests/unit/console_world.mk
UNIT_SRCS_test_console := $(CONSOLE_WORLD_SRCS)
UNIT_CFLAGS_test_console := $(CONSOLE_WORLD_CFLAGS)
