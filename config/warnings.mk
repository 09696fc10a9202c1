# Warning set shared by every C build in the tree (hypervisor, guests, host tests).
WARN := -Wall -Wextra -Werror -Wshadow -Wmissing-prototypes -Wstrict-prototypes \
        -Wvla -Wpointer-arith -Wundef -Wno-unused-parameter -Wimplicit-fallthrough \
        -Wformat=2 -Wcast-align
