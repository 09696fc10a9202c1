/*
 * Kernel image probing. The only format with a header is Linux's arm64 Image;
 * everything else (bare-metal test guests, unikernels) is a raw binary that
 * starts executing at its first byte.
 */
#include <boot/image.h>

#define HDR_TEXT_OFFSET 0x08
#define HDR_IMAGE_SIZE 0x10
#define HDR_FLAGS 0x18
#define HDR_MAGIC 0x38
#define FLAG_BE BIT(0)

/* Byte-wise: the module may sit at any address and EL2 runs -mstrict-align. */
static uint64_t le_read(const uint8_t *p, unsigned int bytes)
{
    uint64_t v = 0;

    for (unsigned int i = 0; i < bytes; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

static enum image_result probe_arm64(const uint8_t *hdr, uint64_t size, struct image_info *out)
{
    uint64_t text_offset = le_read(hdr + HDR_TEXT_OFFSET, 8);
    uint64_t image_size = le_read(hdr + HDR_IMAGE_SIZE, 8);
    uint64_t flags = le_read(hdr + HDR_FLAGS, 8);

    if (image_size == 0) {
        /* Pre-3.17 header: fields not filled in, booting.rst says assume 0x80000. */
        text_offset = IMAGE_ARM64_LEGACY_TEXT_OFFSET;
        image_size = size;
        flags = 0;
    }
    if (image_size > IMAGE_MAX_SIZE)
        return IMAGE_TOO_BIG;
    /* The kernel sits at a 2 MiB-aligned base + text_offset; anything past
     * 2 MiB or unaligned cannot come from a real kernel build. */
    if (text_offset >= SZ_2M || !IS_ALIGNED(text_offset, PAGE_SIZE))
        return IMAGE_BAD_OFFSET;
    if (flags & FLAG_BE)
        return IMAGE_BIG_ENDIAN;

    out->text_offset = text_offset;
    out->image_size = MAX(image_size, size);
    out->flags = flags;
    out->is_arm64_image = true;
    return IMAGE_OK;
}

enum image_result image_probe(const void *img, uint64_t size, struct image_info *out)
{
    const uint8_t *p = img;

    if (size == 0)
        return IMAGE_EMPTY;
    if (size > IMAGE_MAX_SIZE)
        return IMAGE_TOO_BIG;
    if (size >= IMAGE_ARM64_HDR_SIZE && le_read(p + HDR_MAGIC, 4) == IMAGE_ARM64_MAGIC)
        return probe_arm64(p, size, out);

    out->text_offset = 0;
    out->image_size = size;
    out->flags = 0;
    out->is_arm64_image = false;
    return IMAGE_OK;
}

const char *image_result_str(enum image_result r)
{
    static const char *const str[] = {
        [IMAGE_OK] = "ok",
        [IMAGE_EMPTY] = "empty image",
        [IMAGE_TOO_BIG] = "image larger than 4 GiB",
        [IMAGE_BAD_OFFSET] = "arm64 header text_offset not 4 KiB aligned below 2 MiB",
        [IMAGE_BIG_ENDIAN] = "big-endian arm64 kernel (not supported)",
    };

    if ((unsigned int)r < ARRAY_SIZE(str) && str[r])
        return str[r];
    return "unknown image error";
}
