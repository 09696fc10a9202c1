# Console input: focus at attach, Ctrl-a x3 switching, delivery, debug keys.
include tests/unit/console_world.mk
UNIT_SRCS_test_console_input := $(CONSOLE_WORLD_SRCS)
UNIT_CFLAGS_test_console_input := $(CONSOLE_WORLD_CFLAGS)
