/*
 * vsnprintf for the freestanding tree. Beyond what printf.h promises it also
 * takes the '+', ' ' and '#' flags, '*' widths and precisions, and precision
 * on integers, so that it agrees with C on every format it accepts (the unit
 * test compares it against the host's snprintf). An unknown conversion is
 * copied to the output as written, so a typo shows instead of vanishing.
 *
 * It depends on nothing else in lib/ (not even string.c), so it can be linked
 * alone into test guests.
 */
#include <stdbool.h>
#include <stdint.h>
#include <lib/printf.h>

#define F_LEFT 0x01  /* '-' */
#define F_ZERO 0x02  /* '0' */
#define F_PLUS 0x04  /* '+' */
#define F_SPACE 0x08 /* ' ' */
#define F_ALT 0x10   /* '#' */

enum length { LEN_INT, LEN_CHAR, LEN_SHORT, LEN_LONG, LEN_LLONG, LEN_SIZE, LEN_PTRDIFF, LEN_MAX };

struct spec {
    unsigned int flags;
    int width;
    int prec; /* -1: none given */
    enum length len;
};

/* Output cursor: counts every character, stores only those that fit. */
struct out {
    char *buf;
    size_t size;
    size_t pos;
};

static void put(struct out *o, char c)
{
    if (o->pos + 1 < o->size)
        o->buf[o->pos] = c;
    o->pos++;
}

static void put_repeat(struct out *o, char c, int n)
{
    for (; n > 0; n--)
        put(o, c);
}

static void put_padded(struct out *o, const char *s, int n, const struct spec *sp)
{
    int pad = sp->width - n;

    if (!(sp->flags & F_LEFT))
        put_repeat(o, ' ', pad);
    for (int i = 0; i < n; i++)
        put(o, s[i]);
    if (sp->flags & F_LEFT)
        put_repeat(o, ' ', pad);
}

static void fmt_string(struct out *o, const char *s, const struct spec *sp)
{
    int n = 0;

    if (!s)
        s = "(null)";
    while (s[n] && (sp->prec < 0 || n < sp->prec))
        n++;
    put_padded(o, s, n, sp);
}

/*
 * One integer conversion: prefix (sign or 0x), zeros from the precision or
 * the '0' flag, then the digits, all padded to the width.
 */
static void fmt_number(struct out *o, uint64_t v, bool neg, unsigned int base, bool upper,
                       const char *prefix, const struct spec *sp)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[24]; /* 22 octal digits hold 2^64 */
    int n = 0, plen = 0, zeros, pad;

    while (v) {
        tmp[n++] = digits[v % base];
        v /= base;
    }
    if (n == 0 && sp->prec != 0)
        tmp[n++] = '0';
    if (prefix == NULL)
        prefix = neg ? "-" : (sp->flags & F_PLUS) ? "+" : (sp->flags & F_SPACE) ? " " : "";
    while (prefix[plen])
        plen++;
    zeros = sp->prec > n ? sp->prec - n : 0;
    pad = sp->width - plen - zeros - n;
    if ((sp->flags & F_ZERO) && !(sp->flags & F_LEFT) && sp->prec < 0) {
        zeros += pad > 0 ? pad : 0;
        pad = 0;
    }
    if (!(sp->flags & F_LEFT))
        put_repeat(o, ' ', pad);
    for (int i = 0; i < plen; i++)
        put(o, prefix[i]);
    put_repeat(o, '0', zeros);
    while (n)
        put(o, tmp[--n]);
    if (sp->flags & F_LEFT)
        put_repeat(o, ' ', pad);
}

static int64_t arg_signed(va_list *ap, enum length len)
{
    switch (len) {
    case LEN_CHAR:
        return (signed char)va_arg(*ap, int);
    case LEN_SHORT:
        return (short)va_arg(*ap, int);
    case LEN_LONG:
        return va_arg(*ap, long);
    case LEN_LLONG:
        return va_arg(*ap, long long);
    case LEN_SIZE:
        return (int64_t)va_arg(*ap, size_t); /* %zd: the signed type of size_t's width */
    case LEN_PTRDIFF:
        return va_arg(*ap, ptrdiff_t);
    case LEN_MAX:
        return va_arg(*ap, intmax_t);
    default:
        return va_arg(*ap, int);
    }
}

static uint64_t arg_unsigned(va_list *ap, enum length len)
{
    switch (len) {
    case LEN_CHAR:
        return (unsigned char)va_arg(*ap, unsigned int);
    case LEN_SHORT:
        return (unsigned short)va_arg(*ap, unsigned int);
    case LEN_LONG:
        return va_arg(*ap, unsigned long);
    case LEN_LLONG:
        return va_arg(*ap, unsigned long long);
    case LEN_SIZE:
        return va_arg(*ap, size_t);
    case LEN_PTRDIFF:
        return (uint64_t)va_arg(*ap, ptrdiff_t);
    case LEN_MAX:
        return va_arg(*ap, uintmax_t);
    default:
        return va_arg(*ap, unsigned int);
    }
}

/* Widths and precisions beyond this are nonsense; capping keeps them in int and bounded. */
#define FIELD_MAX 100000

/* Reads a decimal field or '*'; a '*' yielding a negative value gives -1. */
static int parse_field(const char **fmt, va_list *ap)
{
    int v = 0;

    if (**fmt == '*') {
        (*fmt)++;
        v = va_arg(*ap, int);
        return v < 0 ? -1 : v > FIELD_MAX ? FIELD_MAX : v;
    }
    while (**fmt >= '0' && **fmt <= '9') {
        if (v < FIELD_MAX)
            v = v * 10 + (**fmt - '0');
        (*fmt)++;
    }
    return v;
}

static const char *parse_spec(const char *fmt, struct spec *sp, va_list *ap)
{
    static const char flag_chars[] = "-0+ #";
    bool more = true;

    sp->flags = 0;
    while (more) {
        more = false;
        for (unsigned int i = 0; flag_chars[i]; i++) {
            if (*fmt == flag_chars[i]) {
                sp->flags |= 1u << i;
                fmt++;
                more = true;
            }
        }
    }
    if (*fmt == '*') {
        int w = va_arg(*ap, int);

        fmt++;
        /* A negative '*' width means '-' plus its magnitude, as in C. */
        if (w < 0) {
            sp->flags |= F_LEFT;
            w = w < -FIELD_MAX ? FIELD_MAX : -w;
        }
        sp->width = w > FIELD_MAX ? FIELD_MAX : w;
    } else {
        sp->width = parse_field(&fmt, ap);
    }
    sp->prec = -1;
    if (*fmt == '.') {
        fmt++;
        sp->prec = parse_field(&fmt, ap);
    }
    sp->len = LEN_INT;
    if (fmt[0] == 'h') {
        sp->len = fmt[1] == 'h' ? LEN_CHAR : LEN_SHORT;
        fmt += fmt[1] == 'h' ? 2 : 1;
    } else if (fmt[0] == 'l') {
        sp->len = fmt[1] == 'l' ? LEN_LLONG : LEN_LONG;
        fmt += fmt[1] == 'l' ? 2 : 1;
    } else if (*fmt == 'z' || *fmt == 't' || *fmt == 'j') {
        sp->len = *fmt == 'z' ? LEN_SIZE : *fmt == 't' ? LEN_PTRDIFF : LEN_MAX;
        fmt++;
    }
    return fmt;
}

/* Handles the conversion character at *fmt; false if it is not one we know. */
static bool convert(struct out *o, char c, struct spec *sp, va_list *ap)
{
    char ch;
    int64_t sv;
    uint64_t uv;

    switch (c) {
    case 'd':
    case 'i':
        sv = arg_signed(ap, sp->len);
        uv = sv < 0 ? -(uint64_t)sv : (uint64_t)sv;
        fmt_number(o, uv, sv < 0, 10, false, NULL, sp);
        return true;
    case 'u':
        fmt_number(o, arg_unsigned(ap, sp->len), false, 10, false, "", sp);
        return true;
    case 'x':
    case 'X':
        uv = arg_unsigned(ap, sp->len);
        fmt_number(o, uv, false, 16, c == 'X',
                   (sp->flags & F_ALT) && uv ? (c == 'X' ? "0X" : "0x") : "", sp);
        return true;
    case 'o':
        uv = arg_unsigned(ap, sp->len);
        /* '#' guarantees a leading zero: raise the precision just enough. */
        if (sp->flags & F_ALT) {
            int digits = 1;

            for (uint64_t t = uv >> 3; t; t >>= 3)
                digits++;
            if (sp->prec <= digits)
                sp->prec = digits + (uv != 0);
        }
        fmt_number(o, uv, false, 8, false, "", sp);
        return true;
    case 'p':
        /* Fixed width so columns of addresses line up in logs. */
        sp->prec = 16;
        fmt_number(o, (uintptr_t)va_arg(*ap, void *), false, 16, false, "0x", sp);
        return true;
    case 'c':
        ch = (char)va_arg(*ap, int);
        put_padded(o, &ch, 1, sp);
        return true;
    case 's':
        fmt_string(o, va_arg(*ap, const char *), sp);
        return true;
    default:
        return false;
    }
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct out o = {buf, size, 0};
    va_list args;

    va_copy(args, ap);
    while (*fmt) {
        const char *start = fmt;
        struct spec sp;

        if (*fmt != '%') {
            put(&o, *fmt++);
            continue;
        }
        if (fmt[1] == '%') {
            put(&o, '%');
            fmt += 2;
            continue;
        }
        fmt = parse_spec(fmt + 1, &sp, &args);
        if (*fmt && convert(&o, *fmt, &sp, &args)) {
            fmt++;
            continue;
        }
        /* Unknown or truncated conversion: echo it verbatim. */
        while (start < fmt)
            put(&o, *start++);
        if (*fmt)
            put(&o, *fmt++);
    }
    va_end(args);
    if (size)
        buf[o.pos < size ? o.pos : size - 1] = '\0';
    return o.pos > 0x7fffffff ? 0x7fffffff : (int)o.pos;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
