/*
 * Kernel image probing, in Xen's order: Linux's arm64 Image header, then the
 * 32-bit ARM zImage header (which makes the domain AArch32), then ELF (named
 * and refused); everything else (bare-metal test guests, unikernels) is a raw
 * 64-bit binary that starts executing at its first byte.
 */
#include <boot/image.h>

#define HDR_TEXT_OFFSET 0x08
#define HDR_IMAGE_SIZE 0x10
#define HDR_FLAGS 0x18
#define HDR_MAGIC 0x38
#define SZ_128M (128UL << 20)
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
    out->is_zimage = false;
    out->zimage_start = 0;
    return IMAGE_OK;
}

static enum image_result probe_zimage(const uint8_t *p, uint64_t size, struct image_info *out)
{
    uint32_t start = (uint32_t)le_read(p + IMAGE_ZIMAGE_START_OFF, 4);
    uint32_t end = (uint32_t)le_read(p + IMAGE_ZIMAGE_END_OFF, 4);

    /* end - start is what the loader copies: it must be in the file. */
    if (end <= start || end - start > size)
        return IMAGE_BAD_ZIMAGE;
    out->text_offset = 0;
    out->image_size = end - start;
    out->flags = 0;
    out->is_arm64_image = false;
    out->is_zimage = true;
    out->zimage_start = start;
    return IMAGE_OK;
}

bool zimage_place(uint64_t ram_base, uint64_t ram_size, uint32_t start, uint64_t len,
                  uint64_t modsize, struct zimage_layout *out)
{
    uint64_t ram_end = ram_base + ram_size, below128 = ram_base + SZ_128M;
    uint64_t kernel;

    if (len == 0 || len > ram_size)
        return false;
    if (start == 0) {
        uint64_t load_end = MIN(ram_end, below128);
        if (load_end - ram_base < len)
            return false;
        kernel = ALIGN_DOWN(load_end - len, SZ_2M);
        if (kernel < ram_base)
            return false;
    } else {
        kernel = start;
        if (kernel < ram_base || kernel + len > ram_end)
            return false;
    }
    uint64_t kend = kernel + len, modbase;
    if (ram_end >= below128 + modsize && kend <= below128)
        modbase = below128;
    else if (ram_end - ram_base >= modsize &&
             ALIGN_DOWN(ram_end - modsize, SZ_2M) >= ALIGN_UP(kend, SZ_2M))
        modbase = ALIGN_DOWN(ram_end - modsize, SZ_2M);
    else if (kernel - ram_base >= ALIGN_UP(modsize, SZ_2M))
        modbase = kernel - ALIGN_UP(modsize, SZ_2M);
    else
        return false;
    out->kernel = kernel;
    out->modbase = modbase;
    return true;
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
    if (size >= IMAGE_ZIMAGE_HDR_SIZE &&
        le_read(p + IMAGE_ZIMAGE_MAGIC_OFF, 4) == IMAGE_ZIMAGE_MAGIC)
        return probe_zimage(p, size, out);
    if (size >= 4 && p[0] == 0x7f && p[1] == 'E' && p[2] == 'L' && p[3] == 'F')
        return IMAGE_ELF;

    out->text_offset = 0;
    out->image_size = size;
    out->flags = 0;
    out->is_arm64_image = false;
    out->is_zimage = false;
    out->zimage_start = 0;
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
        [IMAGE_BAD_ZIMAGE] = "zImage header's end - start is not within the file",
        [IMAGE_ELF] = "ELF kernel (not supported: use an Image or zImage)",
    };

    if ((unsigned int)r < ARRAY_SIZE(str) && str[r])
        return str[r];
    return "unknown image error";
}
