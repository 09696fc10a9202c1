/*
 * Hypervisor command line. One table row per option (name, kind, where it
 * lands); generic kinds (bool, uint, size, string) need no code of their own,
 * options with a syntax of their own get a small parser.
 */
#include <lib/report.h>
#include <string.h>
#include <stddef.h>
#include <stdarg.h>
#include <lib/printf.h>
#include <boot/bootargs.h>

#define TOKEN_MAX 256

/* OPT_CUSTOM_BOOL: a parser of its own that also takes the forms of a boolean
 * (a bare name, "no-" before it); plain OPT_CUSTOM needs a value. */
enum opt_kind { OPT_BOOL, OPT_UINT, OPT_SIZE, OPT_STR, OPT_CUSTOM, OPT_CUSTOM_BOOL };

struct opt {
    const char *name;
    enum opt_kind kind;
    size_t off;                                           /* into struct hv_options */
    size_t len;                                           /* OPT_STR: buffer size */
    bool (*parse)(const char *val, struct hv_options *o); /* OPT_CUSTOM */
};

static void __attribute__((format(printf, 2, 3)))
say(void (*report)(const char *msg), const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    report_v(report, "bootargs", NULL, fmt, ap);
    va_end(ap);
}

/* Length of the prefix of s without any character of stop (strcspn, which
 * the freestanding lib does not provide). */
static size_t span_until(const char *s, const char *stop)
{
    size_t n = 0;

    while (s[n] && !strchr(stop, s[n]))
        n++;
    return n;
}

/* Unsigned number, base as C (0x.., 0.., decimal) like Xen's simple_strtoull;
 * *end gets the first unparsed character. False on no digits or overflow. */
static bool parse_u64(const char *s, const char **end, uint64_t *out)
{
    unsigned int base = 10;
    uint64_t v = 0;
    const char *start;

    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
    } else if (s[0] == '0' && s[1]) {
        base = 8;
    }
    for (start = s;; s++) {
        unsigned int d;

        if (*s >= '0' && *s <= '9')
            d = (unsigned int)(*s - '0');
        else if (*s >= 'a' && *s <= 'f')
            d = (unsigned int)(*s - 'a' + 10);
        else if (*s >= 'A' && *s <= 'F')
            d = (unsigned int)(*s - 'A' + 10);
        else
            break;
        if (d >= base)
            break;
        if (v > (UINT64_MAX - d) / base)
            return false;
        v = v * base + d;
    }
    *end = s;
    *out = v;
    return s != start;
}

/* Xen's parse_size_and_unit: suffix T/G/M/K/B (any case), no suffix = KiB. */
static bool parse_size(const char *s, uint64_t *out)
{
    static const char units[] = "bkmgt";
    const char *end, *u;
    unsigned int shift = 10;
    uint64_t v;

    if (!parse_u64(s, &end, &v))
        return false;
    if (*end) {
        char c = (char)(*end | 0x20);

        u = c ? strchr(units, c) : NULL;
        if (!u || end[1])
            return false;
        shift = (unsigned int)(u - units) * 10;
    }
    if (shift && v > (UINT64_MAX >> shift))
        return false;
    *out = v << shift;
    return true;
}

/* Xen's parse_bool. Returns 1, 0 or -1 (not a boolean). */
static int parse_bool(const char *s)
{
    static const char *const yes[] = {"yes", "on", "true", "enable", "1"};
    static const char *const no[] = {"no", "off", "false", "disable", "0"};

    for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
        if (!strcmp(s, yes[i]))
            return 1;
        if (!strcmp(s, no[i]))
            return 0;
    }
    return -1;
}

static int loglvl_value(const char *s, size_t n)
{
    static const char *const names[] = {"none", "error", "warning", "info", "debug", "all"};

    for (size_t i = 0; i < ARRAY_SIZE(names); i++)
        if (strlen(names[i]) == n && !strncmp(s, names[i], n))
            return (int)i - 1;
    return -2;
}

/* "<lower>[/<upper>]"; upper is raised to at least lower, as Xen does. */
static bool parse_loglvl_pair(const char *s, enum hv_loglvl *lower, enum hv_loglvl *upper)
{
    const char *slash = strchr(s, '/');
    int lo = loglvl_value(s, slash ? (size_t)(slash - s) : strlen(s));
    int up = slash ? loglvl_value(slash + 1, strlen(slash + 1)) : (int)*upper;

    if (lo < -1 || up < -1)
        return false;
    *lower = (enum hv_loglvl)lo;
    *upper = (enum hv_loglvl)(up < lo ? lo : up);
    return true;
}

static bool parse_loglvl(const char *s, struct hv_options *o)
{
    return parse_loglvl_pair(s, &o->loglvl, &o->loglvl_upper);
}

static bool parse_guest_loglvl(const char *s, struct hv_options *o)
{
    return parse_loglvl_pair(s, &o->guest_loglvl, &o->guest_loglvl_upper);
}

/* Comma-separated; only the DT UART exists on Arm ("com1", "vga" are x86). */
static bool parse_console(const char *s, struct hv_options *o)
{
    unsigned long bits = HV_CONSOLE_NONE;

    while (*s) {
        size_t n = span_until(s, ",");

        if (n == 6 && !strncmp(s, "dtuart", n))
            bits |= HV_CONSOLE_DTUART;
        else if (!(n == 4 && !strncmp(s, "none", n)))
            return false;
        s += n;
        if (*s == ',')
            s++;
    }
    o->console = bits;
    return true;
}

static bool parse_sched(const char *s, struct hv_options *o)
{
    static const struct {
        const char *name;
        enum hv_sched sched;
    } names[] = {
        {"credit2", HV_SCHED_CREDIT2},   {"credit", HV_SCHED_CREDIT}, {"null", HV_SCHED_NULL},
        {"arinc653", HV_SCHED_ARINC653}, {"rtds", HV_SCHED_RTDS},
    };

    for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
        if (!strcmp(s, names[i].name)) {
            o->sched = names[i].sched;
            return true;
        }
    }
    return false;
}

/* "<c>[x]": Ctrl-<c> pressed three times switches console input; a trailing
 * 'x' keeps input with the hypervisor instead of handing it to dom0 at boot. */
static bool parse_conswitch(const char *s, struct hv_options *o)
{
    if (!s[0] || (s[1] && (s[1] != 'x' || s[2])))
        return false;
    if ((s[0] | 0x20) < 'a' || (s[0] | 0x20) > 'z')
        return false;
    o->conswitch = s[0];
    o->conswitch_to_dom0 = s[1] != 'x';
    return true;
}

static bool parse_vwfi(const char *s, struct hv_options *o)
{
    if (strcmp(s, "native") && strcmp(s, "trap"))
        return false;
    o->vwfi_native = !strcmp(s, "native");
    return true;
}

/* Xen's "idle" scrubs in idle time; here every page is zeroed when
 * allocated, as with true. */
static bool parse_bootscrub(const char *s, struct hv_options *o)
{
    int b = strcmp(s, "idle") ? parse_bool(s) : 1;
    if (b < 0)
        return false;
    o->bootscrub = b;
    return true;
}

static bool parse_p2m_pages(const char *s, struct hv_options *o)
{
    int b = strcmp(s, "touch") ? parse_bool(s) : 2;
    if (b < 0)
        return false;
    o->p2m_pages = b == 2 ? HV_P2M_TOUCH : b ? HV_P2M_PAGES : HV_P2M_BLOCKS;
    return true;
}

#define F(field) offsetof(struct hv_options, field)
static const struct opt opts[] = {
    {"console", OPT_CUSTOM, 0, 0, parse_console},
    {"dtuart", OPT_STR, F(dtuart), HV_DTUART_LEN, NULL},
    {"loglvl", OPT_CUSTOM, 0, 0, parse_loglvl},
    {"guest_loglvl", OPT_CUSTOM, 0, 0, parse_guest_loglvl},
    {"sched", OPT_CUSTOM, 0, 0, parse_sched},
    {"dom0_mem", OPT_SIZE, F(dom0_mem), 0, NULL},
    {"dom0_max_vcpus", OPT_UINT, F(dom0_max_vcpus), 0, NULL},
    {"sync_console", OPT_BOOL, F(sync_console), 0, NULL},
    {"conswitch", OPT_CUSTOM, 0, 0, parse_conswitch},
    {"vwfi", OPT_CUSTOM, 0, 0, parse_vwfi},
    {"gnttab_max_frames", OPT_UINT, F(gnttab_max_frames), 0, NULL},
    {"ext_regions", OPT_BOOL, F(ext_regions), 0, NULL},
    {"vmid_bits", OPT_UINT, F(vmid_bits), 0, NULL},        /* Cloison's own (not Xen's) */
    {"ipa_bits", OPT_UINT, F(ipa_bits), 0, NULL},          /* Cloison's own */
    {"trapcount", OPT_BOOL, F(trapcount), 0, NULL},        /* Cloison's own */
    {"p2m_pages", OPT_CUSTOM_BOOL, 0, 0, parse_p2m_pages}, /* Cloison's own */
    {"bootscrub", OPT_CUSTOM, 0, 0, parse_bootscrub},
};
#undef F

void bootargs_defaults(struct hv_options *o)
{
    memset(o, 0, sizeof(*o));
    o->console = HV_CONSOLE_DTUART;
    o->loglvl = o->loglvl_upper = LOGLVL_WARNING;
    o->guest_loglvl = LOGLVL_NONE;
    o->guest_loglvl_upper = LOGLVL_WARNING;
    o->sched = HV_SCHED_CREDIT2;
    o->conswitch = 'a';
    o->conswitch_to_dom0 = true;
    o->gnttab_max_frames = 64;
    o->ext_regions = true;
    o->bootscrub = true;
}

/* Option names compare with '-' and '_' as the same character, as in Xen. */
static bool name_eq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char x = *a == '-' ? '_' : *a, y = *b == '-' ? '_' : *b;

        if (x != y)
            return false;
    }
    return *a == *b;
}

static const struct opt *opt_find(const char *name)
{
    for (size_t i = 0; i < ARRAY_SIZE(opts); i++)
        if (name_eq(name, opts[i].name))
            return &opts[i];
    return NULL;
}

/* Apply one option; false = malformed value (nothing changed). */
static bool opt_apply(const struct opt *op, const char *val, bool negated, struct hv_options *o)
{
    char *field = (char *)o + op->off;
    uint64_t v;
    unsigned int u;
    bool flag;
    int b;

    if (negated && op->kind != OPT_BOOL && (op->kind != OPT_CUSTOM_BOOL || val))
        return false;
    switch (op->kind) {
    case OPT_BOOL:
        b = val ? parse_bool(val) : 1;
        if (b < 0)
            return false;
        flag = negated ? !b : b;
        memcpy(field, &flag, sizeof(flag)); /* field is a bool; char * keeps it untyped */
        return true;
    case OPT_UINT: {
        const char *end;

        if (!val || !parse_u64(val, &end, &v) || *end || v > UINT32_MAX)
            return false;
        u = (unsigned int)v;
        memcpy(field, &u, sizeof(u));
        return true;
    }
    case OPT_SIZE:
        if (!val || !parse_size(val, &v))
            return false;
        o->dom0_mem = v;
        o->dom0_mem_set = true;
        return true;
    case OPT_STR:
        if (!val || strlen(val) >= op->len)
            return false;
        memcpy(field, val, strlen(val) + 1);
        return true;
    case OPT_CUSTOM:
        return val && op->parse(val, o);
    case OPT_CUSTOM_BOOL:
        /* A bare name or its "no-" form stands for =true or =false. */
        return op->parse(val ? val : negated ? "false" : "true", o);
    }
    return false;
}

/* tok is one NUL-terminated option; returns false if it was reported. */
static bool parse_token(char *tok, struct hv_options *o, void (*report)(const char *msg))
{
    char *val = strchr(tok, '=');
    const char *name = tok;
    const struct opt *op;
    bool negated = false;

    if (val)
        *val++ = '\0';
    op = opt_find(name);
    if (!op && !strncmp(name, "no-", 3) && (op = opt_find(name + 3)))
        negated = true;
    if (!op) {
        say(report, "unknown option '%s', ignored", name);
        return false;
    }
    if (!opt_apply(op, val, negated, o)) {
        say(report, "%s%s%s: malformed value, ignored", name, val ? "=" : "", val ? val : "");
        return false;
    }
    return true;
}

int bootargs_parse(const char *cmdline, struct hv_options *o, void (*report)(const char *msg))
{
    char tok[TOKEN_MAX];
    int problems = 0;

    while (cmdline && *cmdline) {
        size_t n = span_until(cmdline, " \t\n");

        if (n >= sizeof(tok)) {
            say(report, "option '%.32s...' longer than %zu bytes, ignored", cmdline,
                sizeof(tok) - 1);
            problems++;
        } else if (n) {
            memcpy(tok, cmdline, n);
            tok[n] = '\0';
            problems += !parse_token(tok, o, report);
        }
        for (cmdline += n; *cmdline && strchr(" \t\n", *cmdline); cmdline++)
            ;
    }
    return problems;
}
