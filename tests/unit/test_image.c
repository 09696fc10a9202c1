/* image_probe(): arm64 Image headers (current, legacy, EFI-stubbed), raw binaries,
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
    struct image_info info = {1, 2, 3, true};
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
