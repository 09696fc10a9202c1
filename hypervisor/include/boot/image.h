/*
 * Guest kernel image formats: what must be known about a kernel before it is
 * copied into a domain's RAM.
 */
#ifndef CLOISON_IMAGE_H
#define CLOISON_IMAGE_H

#include <cloison/types.h>

/* Linux arm64 Image header (Documentation/arch/arm64/booting.rst). */
#define IMAGE_ARM64_HDR_SIZE 64
#define IMAGE_ARM64_MAGIC 0x644D5241U /* "ARM\x64" at offset 0x38 */
#define IMAGE_ARM64_LEGACY_TEXT_OFFSET 0x80000
/* No sane kernel claims more: larger sizes are corrupt headers. */
#define IMAGE_MAX_SIZE (4ULL << 30)

struct image_info {
    uint64_t text_offset; /* load at 2 MiB-aligned base + text_offset */
    uint64_t image_size;  /* bytes the kernel occupies once loaded (>= file size) */
    uint64_t flags;       /* arm64 header flags (0 for raw binaries) */
    bool is_arm64_image;  /* Linux arm64 Image header ("ARM\x64" at 0x38) */
    /* 32-bit ARM zImage (magic at 0x24): the domain runs AArch32 at EL1. */
    bool is_zimage;
    uint32_t zimage_start; /* link address, 0 = position independent */
};

enum image_result {
    IMAGE_OK = 0,
    IMAGE_EMPTY,      /* size 0 */
    IMAGE_TOO_BIG,    /* file or image_size above IMAGE_MAX_SIZE */
    IMAGE_BAD_OFFSET, /* text_offset not below 2 MiB / not 4 KiB aligned */
    IMAGE_BIG_ENDIAN, /* header flags bit 0: big-endian kernel */
    IMAGE_BAD_ZIMAGE, /* zImage end - start larger than the file, or above 4 GiB */
    IMAGE_ELF,        /* an ELF file: not loadable (yet), refused by name */
};

/* Linux 32-bit ARM zImage header (Linux: Documentation/arch/arm/booting.rst). */
#define IMAGE_ZIMAGE_MAGIC_OFF 0x24
#define IMAGE_ZIMAGE_START_OFF 0x28
#define IMAGE_ZIMAGE_END_OFF 0x2c
#define IMAGE_ZIMAGE_HDR_SIZE 0x30
#define IMAGE_ZIMAGE_MAGIC 0x016f2818U

/*
 * Where a zImage and its modules (DTB, then initrd) go in a bank of RAM
 * [ram_base, ram_base + ram_size), as Xen places them: a position-independent
 * zImage (start 0) as high as it fits below ram_base + 128 MiB, 2 MiB
 * aligned (its decompressor writes the kernel below itself, from the bottom
 * of RAM); one with a link address at that address. The modules (modsize
 * bytes) go at ram_base + 128 MiB when RAM reaches past it and the kernel
 * ends below, else in the highest 2 MiB-aligned slot of RAM that holds them
 * if clear of the kernel, else in the
 * 2 MiB-rounded room below the kernel. Returns false when nothing fits.
 */
struct zimage_layout {
    uint64_t kernel; /* load (and entry) address */
    uint64_t modbase;
};
bool zimage_place(uint64_t ram_base, uint64_t ram_size, uint32_t start, uint64_t len,
                  uint64_t modsize, struct zimage_layout *out);

/*
 * Inspect a kernel of `size` bytes at `img` (never read beyond size):
 *  - an arm64 Image (magic at 0x38; an EFI "MZ" stub keeps the same header):
 *    text_offset and image_size from the header; image_size 0 (kernels before
 *    3.17) means text_offset 0x80000 and image_size = file size; an
 *    image_size below the file size (trailing data such as an appended
 *    signature) is raised to the file size, since the loader copies it all;
 *  - a 32-bit ARM zImage (magic 0x016f2818 at 0x24): is_zimage, its start
 *    field, image_size = end - start (which must fit in the file);
 *  - an ELF file (32- or 64-bit): IMAGE_ELF, refused with that name;
 *  - anything else is a raw binary: text_offset 0, image_size = file size.
 * On failure *out is left untouched.
 */
enum image_result image_probe(const void *img, uint64_t size, struct image_info *out);

/* Human-readable reason, for "domU1: kernel: <reason>" messages. */
const char *image_result_str(enum image_result r);

#endif
