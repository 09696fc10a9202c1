/* image_probe(): arm64 Image headers (current, legacy, EFI-stubbed), 32-bit zImages,
 * ELF (refused), raw binaries,
 * and the sizes it refuses. Buffers are heap-allocated to their exact size so
 * ASan catches any read past the end. */
#include <stdlib.h>
#include <string.h>
#include <boot/image.h>
#include "harness.h"

static void put_le(unsigned char *p, uint64_t v, int bytes)
{
    for (int i = 0; i < bytes; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static unsigned char *arm64_image(size_t size, uint64_t text_offset, uint64_t image_size,
                                  uint64_t flags, bool efi)
{
    unsigned char *p = calloc(1, size);

    if (efi) {
        p[0] = 'M';
        p[1] = 'Z';
    }
    put_le(p + 0x08, text_offset, 8);
    put_le(p + 0x10, image_size, 8);
    put_le(p + 0x18, flags, 8);
    put_le(p + 0x38, IMAGE_ARM64_MAGIC, 4);
    return p;
}

TEST(debian_like_efi_image)
{
    unsigned char *p = arm64_image(4096, 0, 0x01AB0000, 0xA, true);
    struct image_info info;

    CHECK_EQ(image_probe(p, 4096, &info), IMAGE_OK);
    CHECK(info.is_arm64_image);
    CHECK_EQ(info.text_offset, 0);
    CHECK_EQ(info.image_size, 0x01AB0000);
    CHECK_EQ(info.flags, 0xA);
    free(p);
}

TEST(legacy_header_image_size_zero)
{
    unsigned char *p = arm64_image(8192, 0x12345, 0, 0, false);
    struct image_info info;

    CHECK_EQ(image_probe(p, 8192, &info), IMAGE_OK);
    CHECK(info.is_arm64_image);
    CHECK_EQ(info.text_offset, 0x80000);
    CHECK_EQ(info.image_size, 8192);
    free(p);
}

TEST(image_size_below_file_size_uses_file_size)
{
    unsigned char *p = arm64_image(8192, 0x80000, 4096, 0, false);
    struct image_info info;

    CHECK_EQ(image_probe(p, 8192, &info), IMAGE_OK);
    CHECK_EQ(info.text_offset, 0x80000);
    CHECK_EQ(info.image_size, 8192);
    free(p);
}

TEST(raw_binaries)
{
    struct image_info info;
    unsigned char *p = calloc(1, 100);
    unsigned char *tiny = calloc(1, 1);

    CHECK_EQ(image_probe(p, 100, &info), IMAGE_OK);
    CHECK(!info.is_arm64_image);
    CHECK_EQ(info.text_offset, 0);
    CHECK_EQ(info.image_size, 100);
    /* Shorter than a header: never looked at past its end. */
    CHECK_EQ(image_probe(tiny, 1, &info), IMAGE_OK);
    CHECK_EQ(info.image_size, 1);
    /* Magic only counts in a full 64-byte header. */
    free(p);
    p = arm64_image(64, 0, 0x100000, 0, false);
    CHECK_EQ(image_probe(p, 63, &info), IMAGE_OK);
    CHECK(!info.is_arm64_image);
    CHECK_EQ(image_probe(p, 64, &info), IMAGE_OK);
    CHECK(info.is_arm64_image);
    free(p);
    free(tiny);
}

TEST(rejected)
{
    struct image_info info = {1, 2, 3, true, false, 0};
    unsigned char *p;

    CHECK_EQ(image_probe("", 0, &info), IMAGE_EMPTY);
    p = arm64_image(64, 0, IMAGE_MAX_SIZE + 1, 0, false);
    CHECK_EQ(image_probe(p, 64, &info), IMAGE_TOO_BIG);
    free(p);
    p = arm64_image(64, 0x200000, 0x100000, 0, false);
    CHECK_EQ(image_probe(p, 64, &info), IMAGE_BAD_OFFSET);
    free(p);
    p = arm64_image(64, 0x80010, 0x100000, 0, false);
    CHECK_EQ(image_probe(p, 64, &info), IMAGE_BAD_OFFSET);
    free(p);
    p = arm64_image(64, 0, 0x100000, 1, false);
    CHECK_EQ(image_probe(p, 64, &info), IMAGE_BIG_ENDIAN);
    /* A failed probe leaves *out alone. */
    CHECK_EQ(info.text_offset, 1);
    CHECK_EQ(info.image_size, 2);
    CHECK_EQ(image_probe(p, IMAGE_MAX_SIZE + 1, &info), IMAGE_TOO_BIG);
    free(p);
    CHECK_STR_EQ(image_result_str(IMAGE_BIG_ENDIAN), "big-endian arm64 kernel (not supported)");
    CHECK_STR_EQ(image_result_str((enum image_result)99), "unknown image error");
}

static unsigned char *zimage(size_t size, uint32_t start, uint32_t end)
{
    unsigned char *p = calloc(1, size);

    put_le(p + IMAGE_ZIMAGE_MAGIC_OFF, IMAGE_ZIMAGE_MAGIC, 4);
    put_le(p + IMAGE_ZIMAGE_START_OFF, start, 4);
    put_le(p + IMAGE_ZIMAGE_END_OFF, end, 4);
    return p;
}

TEST(zimage_probe)
{
    struct image_info info;
    /* Position independent (start 0): Linux's own zImage. */
    unsigned char *p = zimage(0x5000, 0, 0x4800);
    CHECK_EQ(image_probe(p, 0x5000, &info), IMAGE_OK);
    CHECK(info.is_zimage);
    CHECK(!info.is_arm64_image);
    CHECK_EQ(info.zimage_start, 0);
    CHECK_EQ(info.image_size, 0x4800);
    free(p);
    /* Linked at an address: the size is end - start. */
    p = zimage(0x3000, 0x40008000, 0x4000b000);
    CHECK_EQ(image_probe(p, 0x3000, &info), IMAGE_OK);
    CHECK_EQ(info.zimage_start, 0x40008000);
    CHECK_EQ(info.image_size, 0x3000);
    free(p);
    /* end - start beyond the file, or end before start: refused, *out untouched. */
    info.image_size = 7;
    p = zimage(0x3000, 0x40008000, 0x4000b001);
    CHECK_EQ(image_probe(p, 0x3000, &info), IMAGE_BAD_ZIMAGE);
    free(p);
    p = zimage(0x3000, 0x40008000, 0x40000000);
    CHECK_EQ(image_probe(p, 0x3000, &info), IMAGE_BAD_ZIMAGE);
    CHECK_EQ(info.image_size, 7);
    free(p);
    /* Too short for the header: a raw (64-bit) binary. */
    p = zimage(0x30, 0, 0x30);
    CHECK_EQ(image_probe(p, 0x2c, &info), IMAGE_OK);
    CHECK(!info.is_zimage);
    free(p);
    /* The arm64 header wins when both magics are present (Xen's order). */
    p = arm64_image(64, 0x80000, 0x100000, 0, false);
    put_le(p + IMAGE_ZIMAGE_MAGIC_OFF, IMAGE_ZIMAGE_MAGIC, 4);
    CHECK_EQ(image_probe(p, 64, &info), IMAGE_OK);
    CHECK(info.is_arm64_image);
    CHECK(!info.is_zimage);
    free(p);
}

TEST(elf_refused)
{
    struct image_info info;
    unsigned char *p = calloc(1, 64);

    memcpy(p,
           "\x7f"
           "ELF",
           4);
    CHECK_EQ(image_probe(p, 64, &info), IMAGE_ELF);
    free(p);
}

#define MIB(x) ((uint64_t)(x) << 20)
#define RAM 0x40000000ULL

TEST(zimage_place_pic)
{
    struct zimage_layout l;
    /* 256 MiB: kernel as high as fits below +128 MiB, 2 MiB aligned; the
     * modules at +128 MiB. */
    CHECK(zimage_place(RAM, MIB(256), 0, MIB(5) + 123, MIB(1), &l));
    CHECK_EQ(l.kernel, RAM + MIB(122));
    CHECK_EQ(l.modbase, RAM + MIB(128));
    /* 64 MiB: the kernel near the top, the modules below it. */
    CHECK(zimage_place(RAM, MIB(64), 0, MIB(5), MIB(1), &l));
    CHECK_EQ(l.kernel, RAM + MIB(58));
    CHECK_EQ(l.modbase, RAM + MIB(56));
    /* Exactly 128 MiB: no room past +128 MiB, so below the kernel too. */
    CHECK(zimage_place(RAM, MIB(128), 0, MIB(1), MIB(3), &l));
    CHECK_EQ(l.kernel, RAM + MIB(126));
    CHECK_EQ(l.modbase, RAM + MIB(122));
    /* Too small for both. */
    CHECK(!zimage_place(RAM, MIB(4), 0, MIB(3), MIB(2), &l));
    CHECK(!zimage_place(RAM, MIB(4), 0, MIB(5), 0, &l));
    CHECK(!zimage_place(RAM, MIB(4), 0, 0, 0, &l));
}

TEST(zimage_place_linked)
{
    struct zimage_layout l;
    /* At its link address; the modules at the top of a small RAM. */
    CHECK(zimage_place(RAM, MIB(64), 0x40008000, 0x3000, 0x11000, &l));
    CHECK_EQ(l.kernel, 0x40008000);
    CHECK_EQ(l.modbase, RAM + MIB(62));
    /* Outside RAM: refused. */
    CHECK(!zimage_place(RAM, MIB(64), 0x30008000, 0x3000, 0x1000, &l));
    CHECK(!zimage_place(RAM, MIB(64), 0x43fff000, 0x3000, 0x1000, &l));
}
