/* markaz.extract._scan: the scan of markaz.extract.scanner, compiled.
 *
 * One call per text (scan(), i.e. scanner.scan) does the whole of extraction: the
 * candidate scans (runs of digits, links, e-mail addresses and host names, wallets,
 * IBANs, IPv4 and IPv6 addresses, @handles and the mentions of networks), the context
 * tests of a phone candidate, a card's checks and fingerprint, the IPv6 normal form, the
 * handle rules, the checks of a candidate (the normal forms of links, e-mail addresses
 * and hosts with refanging, punycode and the public-suffix walk; wallet checksums; the
 * IBAN check; the readings of a phone number), choosing among overlapping hits, and
 * building the Found objects. What only a library knows is asked of the Python pieces
 * scanner.compiled_scan_pieces() binds: libphonenumber's patterns and parse, Keccak, the
 * idna codec for other Unicode labels, a national IBAN check, the HMAC function; and a
 * compiled check hands a candidate it does not take (say, a link with a user name) to
 * the Python check it stands in for.
 *
 * It must give exactly the answers of the Python code it stands in for; the Python
 * stays the reference (and runs where this module could not be built), and
 * tests/extract/test_extract_accel.py holds the two to the same finds. Regular
 * expressions are translated by hand below, each next to the pattern it follows; the
 * scans' entry points one by one (number_hits, web_hits, ...) exist for those tests.
 * `make asan-extract` runs this file under AddressSanitizer and UBSan.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

typedef Py_UCS4 ch_t;

/* Set by bind(): the Python pieces the scan calls back. */
static PyObject *hmac_digest_fn;  /* hmac.digest: (key, message, "sha256") -> bytes */
static PyObject *fingerprint_type; /* types.CardFingerprint */
/* phones: the pieces of phone_lookup that need libphonenumber */
static PyObject *valid_pattern_fn;   /* _valid_pattern: (regions, length) -> pattern | None */
static PyObject *code_regions;       /* country calling code -> (region, ...) */
static PyObject *parses_prefix_fn;   /* _parses_national_prefix: region -> bool */
static PyObject *country_code_fn;    /* _country_code: region -> "992" */
static PyObject *parse_e164_fn;      /* _parse_e164: (text, region | None) -> str | None */
static PyObject *russian_context_fn; /* _russian_context: text -> bool */
static PyObject *looks_russian_fn;   /* _looks_russian_format: candidate -> bool */
static PyObject *region_ru;          /* "RU" */
static PyObject *hit_type;       /* scanner._Hit */
static PyObject *kind_card;
static PyObject *kind_phone;
static int number_priority; /* scanner._PRIORITY["number"] */
static PyObject *crypto_value_fn; /* scanner._crypto_value: raw -> (kind, value) | None */
static PyObject *iban_value_fn;   /* scanner._iban_value: raw -> value | None */
static PyObject *kind_ipv6;
static PyObject *kind_iban;
static PyObject *kind_ipv4;
static int crypto_priority, iban_priority, ip_priority;
static PyObject *email_value_fn;  /* scanner._email_value: raw -> value | None */
static PyObject *url_value_fn;    /* scanner._url_value: (raw, region) -> (kind, value) | None */
static PyObject *domain_value_fn; /* scanner._domain_value: raw -> value | None */
static PyObject *kind_url;
static PyObject *sha256_fn;      /* hashlib.sha256 */
static PyObject *iban_country_fn; /* money._iban_country: code -> (bban pattern, module) | None */
enum { CRYPTO_BTC, CRYPTO_ETH, CRYPTO_LTC, CRYPTO_TRX, CRYPTO_KINDS };
static PyObject *crypto_kinds[CRYPTO_KINDS];
static PyObject *s_digest, *s_fullmatch;
static PyObject *top_labels;        /* web.top_labels() */
static PyObject *cyrillic_suffixes; /* web.CYRILLIC_SUFFIXES */
static PyObject *file_extensions; /* web.FILE_EXTENSIONS */
static PyObject *kind_email;
static PyObject *kind_domain;
static int web_priority, host_priority;
static PyObject *handle_reserved;  /* social._RESERVED per platform, in P_* order */
static PyObject *platform_kinds;   /* (telegram, instagram, tiktok, vk, ok, facebook, whatsapp) */
static struct {
    char host[32];
    int platform;
} profile_hosts[32]; /* social._HOSTS: the hosts of profile links, with their network */
static int profile_host_count;
static int handle_priority;

static int bound; /* bind() has run to its end: every piece above is set */

static int require_bound(void)
{
    if (!bound)
        PyErr_SetString(PyExc_RuntimeError, "markaz.extract._scan: bind() was not called");
    return bound;
}

#define MAX_NUMBER_DIGITS 40
#define MAX_NUMBER_GROUPS 12
#define MAX_PHONE_TRIES 24
#define BEFORE_CHARS 30
#define AFTER_CHARS 12
#define WINDOW_CHARS 28

/* --- character classes, as Python's str methods and re's classes define them --- */

static inline int is_ascii_digit(ch_t c) { return c >= '0' && c <= '9'; }
static inline int is_ascii_alnum(ch_t c)
{
    return is_ascii_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
static int is_ascii_digit_fn(ch_t c) { return c >= '0' && c <= '9'; }
static inline int is_space(ch_t c) { return Py_UNICODE_ISSPACE(c); } /* re's \s, str.isspace */
static inline int is_word(ch_t c) { return Py_UNICODE_ISALNUM(c) || c == '_'; } /* re's \w */
static inline ch_t to_lower(ch_t c) /* str.lower() of one character but U+0130 */
{
    if (c < 128)
        return c >= 'A' && c <= 'Z' ? c + 32 : c;
    if (c >= 0x430 && c <= 0x44F) /* а-я */
        return c;
    if (c >= 0x410 && c <= 0x42F) /* А-Я */
        return c + 0x20;
    return Py_UNICODE_TOLOWER(c);
}

static inline char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c; }

/* s[0:n] lower-cased (ASCII) is lower[0:n] */
static int ascii_lower_equal(const char *s, const char *lower, Py_ssize_t n)
{
    for (Py_ssize_t i = 0; i < n; i++) {
        if (ascii_lower(s[i]) != lower[i])
            return 0;
    }
    return 1;
}

static int all_ascii(const ch_t *s, Py_ssize_t start, Py_ssize_t end)
{
    for (Py_ssize_t i = start; i < end; i++) {
        if (s[i] >= 128)
            return 0;
    }
    return 1;
}

/* Which scans a character can start: every scan starts on an ASCII character, and most
 * of a report is Cyrillic prose, so one table look-up skips most positions. */
enum {
    STARTS_NUMBER = 1, /* [+(0-9] */
    STARTS_CRYPTO = 2, /* [013bBlLMT48] */
    STARTS_IBAN = 4,   /* [A-Z] */
    STARTS_IPV4 = 8,   /* [0-9] */
    STARTS_ANCHOR = 16, /* [.@\[({:] */
    STARTS_IPV6 = 32    /* [0-9A-Fa-f:] */
};
static unsigned char starts[128];

static void starts_init(void)
{
    for (int c = '0'; c <= '9'; c++)
        starts[c] |= STARTS_NUMBER | STARTS_IPV4;
    starts['+'] |= STARTS_NUMBER;
    starts['('] |= STARTS_NUMBER;
    for (const char *c = "013bBlLMT48"; *c; c++)
        starts[(unsigned char)*c] |= STARTS_CRYPTO;
    for (int c = 'A'; c <= 'Z'; c++)
        starts[c] |= STARTS_IBAN;
    for (const char *c = ".@[({:"; *c; c++)
        starts[(unsigned char)*c] |= STARTS_ANCHOR;
    for (const char *c = "0123456789abcdefABCDEF:"; *c; c++)
        starts[(unsigned char)*c] |= STARTS_IPV6;
}

static inline int may_start(ch_t c, int scan) { return c < 128 && (starts[c] & scan); }

static Py_ssize_t count_digits(const ch_t *s, Py_ssize_t a, Py_ssize_t b)
{
    Py_ssize_t count = 0;
    for (Py_ssize_t i = a; i < b; i++)
        count += is_ascii_digit(s[i]);
    return count;
}

/* A literal (given as UTF-32 code points) at s[i:]; n is the length of s. */
static int literal_at(const ch_t *s, Py_ssize_t n, Py_ssize_t i, const ch_t *lit)
{
    Py_ssize_t k = 0;
    for (; lit[k]; k++) {
        if (i + k >= n || s[i + k] != lit[k])
            return 0;
    }
    return 1;
}

static Py_ssize_t literal_len(const ch_t *lit)
{
    Py_ssize_t k = 0;
    while (lit[k])
        k++;
    return k;
}

/* (?<!\w.) after the first letter of a word at i: no word character before it. */
static inline int word_start(const ch_t *s, Py_ssize_t i) { return i == 0 || !is_word(s[i - 1]); }

/* \b at i, after a word character: the end of the string or no word character next. */
static inline int word_end(const ch_t *s, Py_ssize_t n, Py_ssize_t i)
{
    return i >= n || !is_word(s[i]);
}

/* --- the candidate scan: scanner._NUMBER ---
 * [+(0-9](?<![A-Za-z0-9_\-/#№*].)(?<![0-9]\..)
 * (?:(?<=\+)\s?\(?[0-9]|(?<=\()[0-9]|(?<=[0-9]))[0-9 \t\u00a0().\-]{5,}[0-9]
 */

static inline int run_char(ch_t c)
{
    return is_ascii_digit(c) || c == ' ' || c == '\t' || c == 0xA0 || c == '(' || c == ')' ||
           c == '.' || c == '-';
}

static inline int blocks_number(ch_t c)
{
    return is_ascii_alnum(c) || c == '_' || c == '-' || c == '/' || c == '#' || c == 0x2116 ||
           c == '*';
}

/* The end of a match starting at p, or -1. */
static Py_ssize_t number_match_at(const ch_t *s, Py_ssize_t n, Py_ssize_t p)
{
    ch_t c = s[p];
    if (!(c == '+' || c == '(' || is_ascii_digit(c)))
        return -1;
    if (p >= 1 && blocks_number(s[p - 1]))
        return -1;
    if (p >= 2 && is_ascii_digit(s[p - 2]) && s[p - 1] == '.')
        return -1;
    Py_ssize_t q = p + 1;
    if (c == '+') {
        if (q < n && is_space(s[q]))
            q++;
        if (q < n && s[q] == '(')
            q++;
        if (!(q < n && is_ascii_digit(s[q])))
            return -1;
        q++;
    } else if (c == '(') {
        if (!(q < n && is_ascii_digit(s[q])))
            return -1;
        q++;
    }
    Py_ssize_t e = q;
    while (e < n && run_char(s[e]))
        e++;
    /* {5,} greedy, then back to the last digit with at least five run characters before. */
    Py_ssize_t d = e - 1;
    while (d >= q + 5 && !is_ascii_digit(s[d]))
        d--;
    if (d < q + 5)
        return -1;
    return d + 1;
}

/* --- cards: money.card_digits --- */

static inline int card_separator(ch_t c) { return c == ' ' || c == '-' || c == 0xA0; }

/* The digits of a card number written like one in s[a:b], into out (NUL-terminated). */
static int card_digits(const ch_t *s, Py_ssize_t a, Py_ssize_t b, char *out)
{
    while (a < b && is_space(s[a]))
        a++;
    while (b > a && is_space(s[b - 1]))
        b--;
    Py_ssize_t nd = 0;
    ch_t sep_seen = 0;
    int groups[20];
    Py_ssize_t ngroups = 0, glen = 0;
    for (Py_ssize_t i = a; i < b; i++) {
        ch_t c = s[i];
        if (card_separator(c)) {
            if (sep_seen && sep_seen != c)
                return 0; /* two kinds of separator */
            sep_seen = c;
            if (ngroups >= 19)
                return 0;
            groups[ngroups++] = (int)glen;
            glen = 0;
            continue;
        }
        if (!is_ascii_digit(c) || nd >= 19)
            return 0;
        out[nd++] = (char)c;
        glen++;
    }
    groups[ngroups++] = (int)glen;
    out[nd] = 0;
    if (nd < 13)
        return 0;
    if (ngroups > 1) {
        int ok = (ngroups == 3 && groups[0] == 4 && groups[1] == 6 &&
                  (groups[2] == 5 || groups[2] == 4));
        if (!ok) {
            ok = groups[ngroups - 1] >= 1 && groups[ngroups - 1] <= 4;
            for (Py_ssize_t g = 0; ok && g < ngroups - 1; g++)
                ok = groups[g] == 4;
        }
        if (!ok)
            return 0;
    }
    if (!(strchr("234569", out[0]) || strncmp(out, "8600", 4) == 0))
        return 0;
    int total = 0;
    for (Py_ssize_t i = nd - 1, k = 0; i >= 0; i--, k++) {
        int d = out[i] - '0';
        if (k & 1) {
            d *= 2;
            if (d > 9)
                d -= 9;
        }
        total += d;
    }
    return total % 10 == 0;
}

/* --- cards: money.fingerprint_digits and money.card_value --- */

static PyObject *s_bin, *s_last4, *s_length, *s_hmac, *s_sha256;

static int set_field(PyObject *obj, PyObject *name, PyObject *value);

/* HMAC-SHA256 of the digits under key, as lower-case hex; None without a key. */
static PyObject *card_hmac(const char *digits, Py_ssize_t nd, PyObject *key)
{
    int keyed = PyObject_IsTrue(key); /* `if key` in fingerprint_digits */
    if (keyed < 0)
        return NULL;
    if (!keyed)
        Py_RETURN_NONE;
    PyObject *message = PyBytes_FromStringAndSize(digits, nd);
    if (message == NULL)
        return NULL;
    PyObject *digest = PyObject_CallFunctionObjArgs(hmac_digest_fn, key, message, s_sha256, NULL);
    Py_DECREF(message);
    if (digest == NULL)
        return NULL;
    if (!PyBytes_Check(digest)) {
        Py_DECREF(digest);
        PyErr_SetString(PyExc_TypeError, "hmac.digest must return bytes");
        return NULL;
    }
    static const char hex[] = "0123456789abcdef";
    Py_ssize_t size = PyBytes_GET_SIZE(digest);
    const unsigned char *bytes = (const unsigned char *)PyBytes_AS_STRING(digest);
    PyObject *out = PyUnicode_New(2 * size, 127);
    if (out != NULL) {
        Py_UCS1 *data = PyUnicode_1BYTE_DATA(out);
        for (Py_ssize_t i = 0; i < size; i++) {
            data[2 * i] = hex[bytes[i] >> 4];
            data[2 * i + 1] = hex[bytes[i] & 15];
        }
    }
    Py_DECREF(digest);
    return out;
}

/* The CardFingerprint of a checked card number and the hit's value (the HMAC, else the
 * mask), as fingerprint_digits and card_value make them; 0, or -1 on error. */
static int card_fingerprint(const char *digits, PyObject *key, PyObject **fingerprint,
                            PyObject **value)
{
    Py_ssize_t nd = (Py_ssize_t)strlen(digits);
    PyObject *mac = card_hmac(digits, nd, key);
    PyObject *bin = PyUnicode_FromStringAndSize(digits, 6);
    PyObject *last4 = PyUnicode_FromStringAndSize(digits + nd - 4, 4);
    PyObject *length = PyLong_FromSsize_t(nd);
    PyObject *fp = NULL;
    *fingerprint = *value = NULL;
    if (mac == NULL || bin == NULL || last4 == NULL || length == NULL)
        goto done;
    fp = ((PyTypeObject *)fingerprint_type)->tp_alloc((PyTypeObject *)fingerprint_type, 0);
    if (fp == NULL)
        goto done;
    if (set_field(fp, s_bin, bin) < 0 || set_field(fp, s_last4, last4) < 0 ||
        set_field(fp, s_length, length) < 0 || set_field(fp, s_hmac, mac) < 0) {
        Py_CLEAR(fp);
        goto done;
    }
    PyObject_GC_UnTrack(fp); /* frozen, strings and an int only: no cycle through it */
    if (mac != Py_None) {
        *value = Py_NewRef(mac);
    } else {
        char masked[20];
        memcpy(masked, digits, 6);
        memset(masked + 6, '*', nd - 10);
        memcpy(masked + nd - 4, digits + nd - 4, 4);
        *value = PyUnicode_FromStringAndSize(masked, nd);
        if (*value == NULL)
            Py_CLEAR(fp);
    }
    *fingerprint = fp;
done:
    Py_XDECREF(mac);
    Py_XDECREF(bin);
    Py_XDECREF(last4);
    Py_XDECREF(length);
    return *fingerprint == NULL ? -1 : 0;
}

/* --- phones.looks_like_date_or_money --- */

static int is_decimal(ch_t c) { return Py_UNICODE_ISDECIMAL(c); } /* re's \d on str */

/* _DATE fullmatch: \d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2}) | \d{4}[./-]\d{1,2}[./-]\d{1,2} */
static int date_fullmatch(const ch_t *s, Py_ssize_t a, Py_ssize_t b)
{
    Py_ssize_t len[3];
    Py_ssize_t i = a;
    for (int part = 0; part < 3; part++) {
        Py_ssize_t start = i;
        while (i < b && is_decimal(s[i]))
            i++;
        len[part] = i - start;
        if (len[part] == 0)
            return 0;
        if (part < 2) {
            if (!(i < b && (s[i] == '.' || s[i] == '/' || s[i] == '-')))
                return 0;
            i++;
        }
    }
    if (i != b)
        return 0;
    if (len[0] <= 2 && len[1] <= 2 && (len[2] == 4 || len[2] == 2))
        return 1;
    return len[0] == 4 && len[1] <= 2 && len[2] <= 2;
}

static int looks_like_date_or_money(const ch_t *s, Py_ssize_t a, Py_ssize_t b)
{
    while (a < b && is_space(s[a]))
        a++;
    while (b > a && is_space(s[b - 1]))
        b--;
    if (date_fullmatch(s, a, b))
        return 1;
    int plus = b > a && s[a] == '+';
    Py_ssize_t digits = 0, dots = 0, trailing_zeros = 0;
    for (Py_ssize_t i = a; i < b; i++) {
        if (is_ascii_digit(s[i])) {
            digits++;
            trailing_zeros = s[i] == '0' ? trailing_zeros + 1 : 0;
        }
        dots += s[i] == '.';
    }
    if (trailing_zeros >= 6 && !plus)
        return 1; /* 150 000 000: an amount */
    if (dots >= 1 && !plus && (digits != 9 || dots + 1 != 4))
        return 1;
    return 0;
}

/* --- phones._not_phone_marker, over the lower-cased text before the run ---
 * (?:№|n(?<!\w.)[o°]?|#|[$€₽]|t(?<!\w.)js|u(?<!\w.)sd|r(?<!\w.)ub|e(?<!\w.)ur)\Z
 * searched in before[max(0, end - 4):end], end after trailing spaces and ":.-".
 */
static int not_phone_marker(const ch_t *s, Py_ssize_t n)
{
    Py_ssize_t end = n;
    while (end && (is_space(s[end - 1]) || s[end - 1] == ':' || s[end - 1] == '.' ||
                   s[end - 1] == '-'))
        end--;
    if (end == 0)
        return 0;
    ch_t last = s[end - 1];
    if (last == 0x2116 || last == '#' || last == '$' || last == 0x20AC || last == 0x20BD)
        return 1;
    if (last == 'n' && word_start(s, end - 1))
        return 1;
    if (end >= 2 && s[end - 2] == 'n' && (last == 'o' || last == 0xB0) && word_start(s, end - 2))
        return 1;
    static const ch_t words[][4] = {{'t', 'j', 's', 0}, {'u', 's', 'd', 0}, {'r', 'u', 'b', 0},
                                    {'e', 'u', 'r', 0}};
    if (end >= 3) {
        for (size_t w = 0; w < sizeof words / sizeof words[0]; w++) {
            if (literal_at(s, end, end - 3, words[w]) && word_start(s, end - 3))
                return 1;
        }
    }
    return 0;
}

/* --- phones._NOT_PHONE_AFTER.match over the lower-cased text after the run ---
 * \s*(?:сомони|сомонӣ|сомон\b|сом\b|смн|tjs|руб|р\.|₽|\$|usd|долл|dollar|евро|eur|€|тенге|
 *       сум\b|somoni|rub|rouble|ruble|%|шт|кг|km|км)
 */
typedef struct {
    ch_t text[8];
    int boundary; /* \b after it */
} word_t;

static const word_t AFTER_WORDS[] = {
    {{0x441, 0x43e, 0x43c, 0x43e, 0x43d, 0x438}, 0}, /* сомони */
    {{0x441, 0x43e, 0x43c, 0x43e, 0x43d, 0x4e3}, 0}, /* сомонӣ */
    {{0x441, 0x43e, 0x43c, 0x43e, 0x43d}, 1},        /* сомон\b */
    {{0x441, 0x43e, 0x43c}, 1},                      /* сом\b */
    {{0x441, 0x43c, 0x43d}, 0},                      /* смн */
    {{'t', 'j', 's'}, 0},
    {{0x440, 0x443, 0x431}, 0}, /* руб */
    {{0x440, '.'}, 0},          /* р. */
    {{0x20BD}, 0},              /* ₽ */
    {{'$'}, 0},
    {{'u', 's', 'd'}, 0},
    {{0x434, 0x43e, 0x43b, 0x43b}, 0}, /* долл */
    {{'d', 'o', 'l', 'l', 'a', 'r'}, 0},
    {{0x435, 0x432, 0x440, 0x43e}, 0}, /* евро */
    {{'e', 'u', 'r'}, 0},
    {{0x20AC}, 0},                            /* € */
    {{0x442, 0x435, 0x43d, 0x433, 0x435}, 0}, /* тенге */
    {{0x441, 0x443, 0x43c}, 1},               /* сум\b */
    {{'s', 'o', 'm', 'o', 'n', 'i'}, 0},
    {{'r', 'u', 'b'}, 0},
    {{'r', 'o', 'u', 'b', 'l', 'e'}, 0},
    {{'r', 'u', 'b', 'l', 'e'}, 0},
    {{'%'}, 0},
    {{0x448, 0x442}, 0}, /* шт */
    {{0x43a, 0x433}, 0}, /* кг */
    {{'k', 'm'}, 0},
    {{0x43a, 0x43c}, 0}, /* км */
};

static int not_phone_after(const ch_t *s, Py_ssize_t n)
{
    Py_ssize_t i = 0;
    while (i < n && is_space(s[i]))
        i++;
    for (size_t w = 0; w < sizeof AFTER_WORDS / sizeof AFTER_WORDS[0]; w++) {
        const word_t *word = &AFTER_WORDS[w];
        if (literal_at(s, n, i, word->text) &&
            (!word->boundary || word_end(s, n, i + literal_len(word->text))))
            return 1;
    }
    return 0;
}

/* --- phones._DOCUMENT_WORDS, found as finditer finds them (leftmost, then the first
 * alternative in the pattern's order), and phones._PHONE_WORDS ---
 * инн|i(?<!\w.)nn\b|t(?<!\w.)in\b|t(?<!\w.)ax\b|паспорт|passport|шиноснома|сч[её]т|р/с|
 * a(?<!\w.)cc(?:oun)?t|ҳисоб|договор|contract|заказ|order|i(?<!\w.)d\b|ттн|квитанц|
 * receipt|ч(?<!\w.)ек|транзакц|transaction|t(?<!\w.)xn?\b|серия|serial|invoice|инвойс|
 * ариза|муроҷиат|обращени|booking|tracking|трек|mtcn|перевод\s+№|код|code|pin|пин|cvv|cvc
 */
typedef struct {
    ch_t text[12];
    int start_check; /* (?<!\w.) after the first letter */
    int boundary;    /* \b after it */
} doc_word_t;

#define SPACES_THEN_NUMERO 1 /* marks перевод, followed by \s+№ */

static const doc_word_t DOC_WORDS[] = {
    {{0x438, 0x43d, 0x43d}, 0, 0},                     /* инн */
    {{'i', 'n', 'n'}, 1, 1},
    {{'t', 'i', 'n'}, 1, 1},
    {{'t', 'a', 'x'}, 1, 1},
    {{0x43f, 0x430, 0x441, 0x43f, 0x43e, 0x440, 0x442}, 0, 0}, /* паспорт */
    {{'p', 'a', 's', 's', 'p', 'o', 'r', 't'}, 0, 0},
    {{0x448, 0x438, 0x43d, 0x43e, 0x441, 0x43d, 0x43e, 0x43c, 0x430}, 0, 0}, /* шиноснома */
    {{0x441, 0x447, 0x435, 0x442}, 0, 0},                                     /* счет */
    {{0x441, 0x447, 0x451, 0x442}, 0, 0},                                     /* счёт */
    {{0x440, '/', 0x441}, 0, 0},                                              /* р/с */
    {{'a', 'c', 'c', 'o', 'u', 'n', 't'}, 1, 0},
    {{'a', 'c', 'c', 't'}, 1, 0},
    {{0x4b3, 0x438, 0x441, 0x43e, 0x431}, 0, 0},             /* ҳисоб */
    {{0x434, 0x43e, 0x433, 0x43e, 0x432, 0x43e, 0x440}, 0, 0}, /* договор */
    {{'c', 'o', 'n', 't', 'r', 'a', 'c', 't'}, 0, 0},
    {{0x437, 0x430, 0x43a, 0x430, 0x437}, 0, 0}, /* заказ */
    {{'o', 'r', 'd', 'e', 'r'}, 0, 0},
    {{'i', 'd'}, 1, 1},
    {{0x442, 0x442, 0x43d}, 0, 0},                               /* ттн */
    {{0x43a, 0x432, 0x438, 0x442, 0x430, 0x43d, 0x446}, 0, 0},   /* квитанц */
    {{'r', 'e', 'c', 'e', 'i', 'p', 't'}, 0, 0},
    {{0x447, 0x435, 0x43a}, 1, 0},                               /* ч(?<!\w.)ек */
    {{0x442, 0x440, 0x430, 0x43d, 0x437, 0x430, 0x43a, 0x446}, 0, 0}, /* транзакц */
    {{'t', 'r', 'a', 'n', 's', 'a', 'c', 't', 'i', 'o', 'n'}, 0, 0},
    {{'t', 'x', 'n'}, 1, 1},
    {{'t', 'x'}, 1, 1},
    {{0x441, 0x435, 0x440, 0x438, 0x44f}, 0, 0}, /* серия */
    {{'s', 'e', 'r', 'i', 'a', 'l'}, 0, 0},
    {{'i', 'n', 'v', 'o', 'i', 'c', 'e'}, 0, 0},
    {{0x438, 0x43d, 0x432, 0x43e, 0x439, 0x441}, 0, 0},                 /* инвойс */
    {{0x430, 0x440, 0x438, 0x437, 0x430}, 0, 0},                        /* ариза */
    {{0x43c, 0x443, 0x440, 0x43e, 0x4b7, 0x438, 0x430, 0x442}, 0, 0},   /* муроҷиат */
    {{0x43e, 0x431, 0x440, 0x430, 0x449, 0x435, 0x43d, 0x438}, 0, 0},   /* обращени */
    {{'b', 'o', 'o', 'k', 'i', 'n', 'g'}, 0, 0},
    {{'t', 'r', 'a', 'c', 'k', 'i', 'n', 'g'}, 0, 0},
    {{0x442, 0x440, 0x435, 0x43a}, 0, 0}, /* трек */
    {{'m', 't', 'c', 'n'}, 0, 0},
    {{0x43f, 0x435, 0x440, 0x435, 0x432, 0x43e, 0x434}, 0, SPACES_THEN_NUMERO + 1}, /* перевод\s+№ */
    {{0x43a, 0x43e, 0x434}, 0, 0}, /* код */
    {{'c', 'o', 'd', 'e'}, 0, 0},
    {{'p', 'i', 'n'}, 0, 0},
    {{0x43f, 0x438, 0x43d}, 0, 0}, /* пин */
    {{'c', 'v', 'v'}, 0, 0},
    {{'c', 'v', 'c'}, 0, 0},
};

/* The end of the document word matching at i, or -1. */
static Py_ssize_t doc_word_at(const ch_t *s, Py_ssize_t n, Py_ssize_t i)
{
    for (size_t w = 0; w < sizeof DOC_WORDS / sizeof DOC_WORDS[0]; w++) {
        const doc_word_t *word = &DOC_WORDS[w];
        if (!literal_at(s, n, i, word->text))
            continue;
        if (word->start_check && !word_start(s, i))
            continue;
        Py_ssize_t end = i + literal_len(word->text);
        if (word->boundary == SPACES_THEN_NUMERO + 1) {
            Py_ssize_t k = end;
            while (k < n && is_space(s[k]))
                k++;
            if (k == end || k >= n || s[k] != 0x2116)
                continue;
            return k + 1;
        }
        if (word->boundary && !word_end(s, n, end))
            continue;
        return end;
    }
    return -1;
}

static const ch_t PHONE_WORDS[][7] = {
    {0x442, 0x435, 0x43b},                     /* тел */
    {'p', 'h', 'o', 'n', 'e'},
    {'w', 'h', 'a', 't', 's'},
    {0x432, 0x430, 0x442, 0x441, 0x430, 0x43f}, /* ватсап */
    {0x432, 0x43e, 0x442, 0x441, 0x430, 0x43f}, /* вотсап */
    {0x437, 0x432, 0x43e, 0x43d},               /* звон */
    {'c', 'a', 'l', 'l'},
    {'s', 'm', 's'},
    {0x441, 0x43c, 0x441},                      /* смс */
    {0x43a, 0x43e, 0x448, 0x435, 0x43b},        /* кошел */
    {'w', 'a', 'l', 'l', 'e', 't'},
    {'m', 'o', 'b', 'i'},
    {0x437, 0x430, 0x43d, 0x433}, /* занг */
};

static int phone_word_from(const ch_t *s, Py_ssize_t n, Py_ssize_t from)
{
    for (Py_ssize_t i = from; i < n; i++) {
        for (size_t w = 0; w < sizeof PHONE_WORDS / sizeof PHONE_WORDS[0]; w++) {
            if (literal_at(s, n, i, PHONE_WORDS[w]))
                return 1;
        }
    }
    return 0;
}

/* --- phones.phone_context_ok over text[start:end] --- */
static int phone_context_ok(const ch_t *s, Py_ssize_t n, Py_ssize_t start, Py_ssize_t end)
{
    if (looks_like_date_or_money(s, start, end))
        return 0;
    ch_t before[BEFORE_CHARS];
    Py_ssize_t b0 = start > BEFORE_CHARS ? start - BEFORE_CHARS : 0;
    Py_ssize_t nb = start - b0;
    for (Py_ssize_t i = 0; i < nb; i++)
        before[i] = to_lower(s[b0 + i]);
    if (not_phone_marker(before, nb))
        return 0;
    ch_t after[AFTER_CHARS];
    Py_ssize_t na = n - end < AFTER_CHARS ? n - end : AFTER_CHARS;
    for (Py_ssize_t i = 0; i < na; i++)
        after[i] = to_lower(s[end + i]);
    if (not_phone_after(after, na))
        return 0;
    /* window = _SENTENCE_END.split(before[-28:])[-1], _SENTENCE_END = [.!?;\n]\s */
    const ch_t *w = nb > WINDOW_CHARS ? before + nb - WINDOW_CHARS : before;
    Py_ssize_t nw = nb > WINDOW_CHARS ? WINDOW_CHARS : nb;
    Py_ssize_t cut = 0;
    for (Py_ssize_t i = 0; i + 1 < nw;) {
        ch_t c = w[i];
        if ((c == '.' || c == '!' || c == '?' || c == ';' || c == '\n') && is_space(w[i + 1])) {
            cut = i + 2;
            i += 2;
        } else {
            i++;
        }
    }
    w += cut;
    nw -= cut;
    Py_ssize_t last_doc_end = -1;
    for (Py_ssize_t i = 0; i < nw;) {
        Py_ssize_t e = doc_word_at(w, nw, i);
        if (e >= 0) {
            last_doc_end = e;
            i = e;
        } else {
            i++;
        }
    }
    if (last_doc_end < 0)
        return 1;
    Py_ssize_t k = start;
    while (k < end && is_space(s[k]))
        k++;
    if (k < end && s[k] == '+')
        return 1;
    return phone_word_from(w, nw, last_doc_end);
}

/* --- hits --- */

/* A scanner._Hit (a named tuple, a tuple subtype of six items) filled in place, as
 * tuple.__new__(_Hit, items) would make it, without the intermediate tuples. */
static PyObject *make_hit(int priority, Py_ssize_t start, Py_ssize_t end, PyObject *kind,
                          PyObject *value, PyObject *card)
{
    PyObject *items[6] = {PyLong_FromLong(priority), PyLong_FromSsize_t(start),
                          PyLong_FromSsize_t(end), Py_NewRef(kind), Py_NewRef(value),
                          Py_NewRef(card)};
    PyObject *hit = NULL;
    if (items[0] && items[1] && items[2])
        hit = ((PyTypeObject *)hit_type)->tp_alloc((PyTypeObject *)hit_type, 6);
    if (hit == NULL) {
        for (int i = 0; i < 6; i++)
            Py_XDECREF(items[i]);
        return NULL;
    }
    for (int i = 0; i < 6; i++)
        PyTuple_SET_ITEM(hit, i, items[i]);
    return hit;
}

typedef struct {
    PyObject *text; /* the str */
    const ch_t *s;
    Py_ssize_t n;
    PyObject *region;
    PyObject *card_key;
    PyObject *out;
} scan_t;

static int append_hit(scan_t *st, Py_ssize_t start, Py_ssize_t end, PyObject *kind,
                      PyObject *value, PyObject *card)
{
    PyObject *hit = make_hit(number_priority, start, end, kind, value, card);
    if (hit == NULL)
        return -1;
    int rc = PyList_Append(st->out, hit);
    Py_DECREF(hit);
    return rc;
}

/* --- phones: phones.phone_lookup and phone_e164, compiled --- *
 * The flow of trying a run of digits as international, national, with its trunk 0 or 8
 * or as Russian is here; what only libphonenumber knows is asked of the Python pieces:
 * the validity pattern of a set of regions at a length (phones._valid_pattern), the
 * country code of a region, whether a region's numbers are parsed with a national
 * prefix, and phonenumbers.parse itself for those (phones._parse_e164). */

/* phones._valid_in(regions, national[0:n]): 1, 0, -1 on error */
static int phone_valid_in(PyObject *regions, const char *national, Py_ssize_t n)
{
    PyObject *length = PyLong_FromSsize_t(n);
    PyObject *pattern =
        length == NULL ? NULL : PyObject_CallFunctionObjArgs(valid_pattern_fn, regions, length, NULL);
    Py_XDECREF(length);
    if (pattern == NULL)
        return -1;
    int valid = 0;
    if (pattern != Py_None) {
        PyObject *text = PyUnicode_FromStringAndSize(national, n);
        PyObject *match = text == NULL ? NULL : PyObject_CallMethodOneArg(pattern, s_fullmatch, text);
        Py_XDECREF(text);
        valid = match == NULL ? -1 : match != Py_None;
        Py_XDECREF(match);
    }
    Py_DECREF(pattern);
    return valid;
}

/* A Python piece's answer for region as a truth value: 1, 0, -1 on error */
static int region_test(PyObject *fn, PyObject *region)
{
    PyObject *answer = PyObject_CallOneArg(fn, region);
    if (answer == NULL)
        return -1;
    int truth = PyObject_IsTrue(answer);
    Py_DECREF(answer);
    return truth;
}

/* phones._parse_e164(text[0:n], region or None) */
static PyObject *phone_parse(const char *text, Py_ssize_t n, PyObject *region)
{
    PyObject *number = PyUnicode_FromStringAndSize(text, n);
    if (number == NULL)
        return NULL;
    PyObject *value =
        PyObject_CallFunctionObjArgs(parse_e164_fn, number, region ? region : Py_None, NULL);
    Py_DECREF(number);
    return value;
}

/* phones._international(digits[0:n]) with plus[0] == '+' and digits == plus + 1 */
static PyObject *phone_international(const char *plus, Py_ssize_t n)
{
    const char *digits = plus + 1;
    for (Py_ssize_t size = 1; size <= 3; size++) {
        long code = 0; /* int(digits[:size]) */
        for (Py_ssize_t i = 0; i < size && i < n; i++)
            code = code * 10 + (digits[i] - '0');
        PyObject *key = PyLong_FromLong(code);
        if (key == NULL)
            return NULL;
        PyObject *regions = PyDict_GetItemWithError(code_regions, key); /* borrowed */
        Py_DECREF(key);
        if (regions == NULL) {
            if (PyErr_Occurred())
                return NULL;
            continue;
        }
        Py_ssize_t taken = size < n ? size : n;
        int valid = phone_valid_in(regions, digits + taken, n - taken);
        if (valid < 0)
            return NULL;
        if (valid)
            return PyUnicode_FromStringAndSize(plus, n + 1);
        /* "+7 8 916 ...": a national prefix written after the country code */
        int parses = region_test(parses_prefix_fn, PyTuple_GET_ITEM(regions, 0));
        if (parses < 0)
            return NULL;
        return parses ? phone_parse(plus, n + 1, NULL) : Py_NewRef(Py_None);
    }
    return Py_NewRef(Py_None);
}

/* phones._e164(text[0:n], region or NULL) */
static PyObject *phone_e164_of(const char *text, Py_ssize_t n, PyObject *region)
{
    if (n > 0 && text[0] == '+')
        return phone_international(text, n - 1);
    if (region == NULL)
        return Py_NewRef(Py_None);
    PyObject *regions = PyTuple_Pack(1, region);
    if (regions == NULL)
        return NULL;
    int valid = phone_valid_in(regions, text, n);
    Py_DECREF(regions);
    if (valid < 0)
        return NULL;
    if (valid) {
        char national[17];
        if (n >= (Py_ssize_t)sizeof national) { /* never: at most 15 digits */
            PyErr_SetString(PyExc_SystemError, "phone_e164_of: more than 16 digits");
            return NULL;
        }
        memcpy(national, text, (size_t)n);
        national[n] = 0;
        PyObject *code = PyObject_CallOneArg(country_code_fn, region);
        if (code == NULL)
            return NULL;
        PyObject *value = PyUnicode_FromFormat("+%U%s", code, national);
        Py_DECREF(code);
        return value;
    }
    int parses = region_test(parses_prefix_fn, region);
    if (parses < 0)
        return NULL;
    return parses ? phone_parse(text, n, region) : Py_NewRef(Py_None);
}

/* Py_None (a new reference) is "not found": on to the next reading */
#define PHONE_TRY(expr)                                                                       \
    do {                                                                                      \
        PyObject *found_ = (expr);                                                            \
        if (found_ == NULL || found_ != Py_None)                                              \
            return found_;                                                                    \
        Py_DECREF(found_);                                                                    \
    } while (0)

/* phones.phone_e164(s[start:end], region=region, russian_context=russian) */
static PyObject *phone_e164_c(const ch_t *s, Py_ssize_t start, Py_ssize_t end, PyObject *region,
                              int russian)
{
    while (start < end && is_space(s[start])) /* raw.strip() */
        start++;
    while (end > start && is_space(s[end - 1]))
        end--;
    char number[1 + 16]; /* "+" then the digits */
    char *digits = number + 1;
    Py_ssize_t n = 0;
    int spaced = 0;
    for (Py_ssize_t i = start; i < end; i++) {
        spaced |= s[i] == ' ';
        if (is_ascii_digit(s[i])) {
            if (n == 16)
                return Py_NewRef(Py_None); /* more than 15 */
            digits[n++] = (char)s[i];
        }
    }
    if (n < 7 || n > 15)
        return Py_NewRef(Py_None);
    number[0] = '+';
    if (s[start] == '+')
        return phone_e164_of(number, n + 1, NULL);
    if (n > 10 && digits[0] == '0' && digits[1] == '0') {
        digits[1] = '+'; /* "+" + digits[2:] */
        PyObject *found = phone_e164_of(digits + 1, n - 1, NULL);
        digits[1] = '0';
        if (found == NULL || found != Py_None)
            return found;
        Py_DECREF(found);
    }
    PHONE_TRY(phone_e164_of(digits, n, region));
    PyObject *code = PyObject_CallOneArg(country_code_fn, region);
    if (code == NULL)
        return NULL;
    Py_ssize_t code_length;
    const char *code_digits = PyUnicode_AsUTF8AndSize(code, &code_length);
    int with_code = code_digits != NULL && n > code_length + 6 &&
                    memcmp(digits, code_digits, (size_t)code_length) == 0;
    Py_DECREF(code);
    if (code_digits == NULL)
        return NULL;
    if (with_code)
        PHONE_TRY(phone_e164_of(number, n + 1, NULL));
    int russia = PyUnicode_CompareWithASCIIString(region, "RU") == 0;
    if ((digits[0] == '0' || digits[0] == '8') && !russia)
        PHONE_TRY(phone_e164_of(digits + 1, n - 1, region));
    if (n == 11 && (digits[0] == '7' || digits[0] == '8') && (russian || digits[0] == '7')) {
        PyObject *found = phone_e164_of(digits, n, region_ru);
        if (found != NULL && found != Py_None && digits[0] == '7' && !russian && !spaced) {
            Py_DECREF(found); /* a bare 7XXXXXXXXXX is as likely an ID as a phone */
            return Py_NewRef(Py_None);
        }
        return found;
    }
    return Py_NewRef(Py_None);
}

/* phones.phone_lookup(source[start:end], region, text), s the characters of source */
static PyObject *phone_lookup_c(const ch_t *s, PyObject *source, Py_ssize_t start,
                                Py_ssize_t end, PyObject *region, PyObject *text)
{
    PyObject *value = phone_e164_c(s, start, end, region, 0);
    if (value != Py_None)
        return value;
    Py_DECREF(value);
    if (PyUnicode_CompareWithASCIIString(region, "RU") == 0 || count_digits(s, start, end) != 11)
        return Py_NewRef(Py_None);
    PyObject *candidate = PyUnicode_Substring(source, start, end);
    if (candidate == NULL)
        return NULL;
    int russian = region_test(looks_russian_fn, candidate);
    Py_DECREF(candidate);
    if (russian == 0)
        russian = region_test(russian_context_fn, text);
    if (russian <= 0)
        return russian < 0 ? NULL : Py_NewRef(Py_None);
    return phone_e164_c(s, start, end, region, 1);
}

/* scanner._number_candidate: 1 when a card or phone was found, 0 when not, -1 on error. */
static int number_candidate(scan_t *st, Py_ssize_t start, Py_ssize_t end)
{
    const ch_t *s = st->s;
    if (s[start] == '(') {
        int closed = 0;
        for (Py_ssize_t i = start; i < end; i++)
            closed |= s[i] == ')';
        if (!closed)
            start++;
    }
    while (end > start && (s[end - 1] == ' ' || s[end - 1] == '\t' || s[end - 1] == 0xA0 ||
                           s[end - 1] == '.' || s[end - 1] == '-'))
        end--;
    Py_ssize_t digits = count_digits(s, start, end);
    if (digits >= 13 && digits <= 19) {
        char card[20];
        if (card_digits(s, start, end, card)) {
            PyObject *fingerprint, *value;
            int rc = card_fingerprint(card, st->card_key, &fingerprint, &value);
            memset(card, 0, sizeof card);
            if (rc < 0)
                return -1;
            rc = append_hit(st, start, end, kind_card, value, fingerprint);
            Py_DECREF(fingerprint);
            Py_DECREF(value);
            return rc < 0 ? -1 : 1;
        }
    }
    if (digits >= 7 && digits <= 15 && phone_context_ok(s, st->n, start, end)) {
        PyObject *value = phone_lookup_c(st->s, st->text, start, end, st->region, st->text);
        if (value == NULL)
            return -1;
        if (value == Py_None) {
            Py_DECREF(value);
            return 0;
        }
        int rc = append_hit(st, start, end, kind_phone, value, Py_None);
        Py_DECREF(value);
        return rc < 0 ? -1 : 1;
    }
    return 0;
}

/* scanner._window_ok over the groups first..last-1. */
static int window_ok(const ch_t *s, const Py_ssize_t (*groups)[2], Py_ssize_t first,
                     Py_ssize_t last)
{
    if (last - first > 6)
        return 0;
    for (Py_ssize_t g = first; g < last; g++) {
        if (count_digits(s, groups[g][0], groups[g][1]) == 1 && g != first)
            return 0;
    }
    return 1;
}

/* scanner._number_windows */
static int number_windows(scan_t *st, const Py_ssize_t (*groups)[2], Py_ssize_t ngroups)
{
    int tries = 0;
    Py_ssize_t i = 0;
    while (i < ngroups) {
        int matched = 0;
        Py_ssize_t top = i + 6 < ngroups ? i + 6 : ngroups;
        for (Py_ssize_t j = top; j > i; j--) {
            if (i == 0 && j == ngroups)
                continue; /* the whole run was tried already */
            Py_ssize_t start = groups[i][0], end = groups[j - 1][1];
            Py_ssize_t digits = count_digits(st->s, start, end);
            if (digits < 7 || digits > 19 || !window_ok(st->s, groups, i, j))
                continue;
            if (++tries > MAX_PHONE_TRIES)
                return 0;
            int rc = number_candidate(st, start, end);
            if (rc < 0)
                return -1;
            if (rc) {
                i = j;
                matched = 1;
                break;
            }
        }
        if (!matched)
            i++;
    }
    return 0;
}

/* The last taken span starting at or before start covers start..end. */
static int inside_taken(PyObject *starts, PyObject *ends, Py_ssize_t start, Py_ssize_t end)
{
    Py_ssize_t lo = 0, hi = PyList_GET_SIZE(starts);
    while (lo < hi) { /* bisect_right */
        Py_ssize_t mid = (lo + hi) / 2;
        if (start < PyLong_AsSsize_t(PyList_GET_ITEM(starts, mid)))
            hi = mid;
        else
            lo = mid + 1;
    }
    if (lo == 0)
        return 0;
    return PyLong_AsSsize_t(PyList_GET_ITEM(ends, lo - 1)) >= end;
}

static int number_hits(scan_t *st, PyObject *taken_starts, PyObject *taken_ends)
{
    const ch_t *s = st->s;
    Py_ssize_t n = st->n;
    Py_ssize_t p = 0;
    while (p < n) {
        if (!may_start(s[p], STARTS_NUMBER)) {
            p++;
            continue;
        }
        Py_ssize_t end = number_match_at(s, n, p);
        if (end < 0) {
            p++;
            continue;
        }
        Py_ssize_t start = p;
        p = end;
        if (inside_taken(taken_starts, taken_ends, start, end))
            continue;
        if (end < n && (is_ascii_alnum(s[end]) || s[end] == '_'))
            continue; /* glued to a Latin word or a longer code */
        if (count_digits(s, start, end) > MAX_NUMBER_DIGITS)
            continue;
        int rc = number_candidate(st, start, end);
        if (rc < 0)
            return -1;
        if (rc)
            continue;
        Py_ssize_t groups[MAX_NUMBER_GROUPS][2];
        Py_ssize_t ngroups = 0;
        for (Py_ssize_t i = start; i < end;) {
            if (is_space(s[i])) {
                i++;
                continue;
            }
            Py_ssize_t g = i;
            while (i < end && !is_space(s[i]))
                i++;
            if (ngroups == MAX_NUMBER_GROUPS) {
                ngroups++;
                break;
            }
            groups[ngroups][0] = g;
            groups[ngroups][1] = i;
            ngroups++;
        }
        if (ngroups < 2 || ngroups > MAX_NUMBER_GROUPS)
            continue;
        if (number_windows(st, (const Py_ssize_t(*)[2])groups, ngroups) < 0)
            return -1;
    }
    return 0;
}


/* --- crypto-currency addresses: scanner._CRYPTO (re.ASCII) ---
 * [013bBlLMT48](?<![A-Za-z0-9].)(?:(?<=0)[xX][0-9a-fA-F]{40}
 * |(?<=b)c1[02-9ac-hj-np-zAC-HJ-NP-Z]{8,87}|(?<=B)C1[...]{8,87}
 * |(?<=l)tc1[...]{8,87}|(?<=L)TC1[...]{8,87}
 * |(?<=[13LMT])[1-9A-HJ-NP-Za-km-z]{24,34}
 * |(?<=[48])[1-9A-HJ-NP-Za-km-z]{94}(?:[1-9A-HJ-NP-Za-km-z]{11})?)(?![A-Za-z0-9])
 * Every repeated class here is followed by (?![A-Za-z0-9]) and holds only such
 * characters, so a repetition can only succeed at the full length of its run: a
 * shorter one leaves an alphanumeric next. Each alternative is a run-length test.
 */
static inline int is_hex(ch_t c)
{
    return is_ascii_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
static inline int is_bech32(ch_t c) /* [02-9ac-hj-np-zAC-HJ-NP-Z] */
{
    if (c == '0' || (c >= '2' && c <= '9'))
        return 1;
    ch_t l = c | 0x20;
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
        return 0;
    return l != 'b' && l != 'i' && l != 'o';
}
static inline int is_base58(ch_t c) /* [1-9A-HJ-NP-Za-km-z] */
{
    if (c >= '1' && c <= '9')
        return 1;
    if (c >= 'A' && c <= 'Z')
        return c != 'I' && c != 'O';
    if (c >= 'a' && c <= 'z')
        return c != 'l';
    return 0;
}

static Py_ssize_t run_of(const ch_t *s, Py_ssize_t n, Py_ssize_t i, int (*cls)(ch_t))
{
    Py_ssize_t k = i;
    while (k < n && cls(s[k]))
        k++;
    return k - i;
}

static inline int alnum_at(const ch_t *s, Py_ssize_t n, Py_ssize_t i)
{
    return i < n && is_ascii_alnum(s[i]);
}

/* The end of a run of cls at i of min..max characters that ends the word, or -1. */
static Py_ssize_t whole_run(const ch_t *s, Py_ssize_t n, Py_ssize_t i, int (*cls)(ch_t),
                            Py_ssize_t min, Py_ssize_t max)
{
    Py_ssize_t len = run_of(s, n, i, cls);
    if (len < min || len > max || alnum_at(s, n, i + len))
        return -1;
    return i + len;
}

static Py_ssize_t crypto_match_at(const ch_t *s, Py_ssize_t n, Py_ssize_t p)
{
    ch_t c = s[p];
    if (!may_start(c, STARTS_CRYPTO))
        return -1;
    if (p >= 1 && is_ascii_alnum(s[p - 1]))
        return -1;
    Py_ssize_t q = p + 1;
    switch (c) {
    case '0':
        if (q < n && (s[q] == 'x' || s[q] == 'X'))
            return whole_run(s, n, q + 1, is_hex, 40, 40) == q + 41 ? q + 41 : -1;
        return -1;
    case 'b':
    case 'B': {
        ch_t cc = c == 'b' ? 'c' : 'C';
        if (q + 1 < n && s[q] == cc && s[q + 1] == '1')
            return whole_run(s, n, q + 2, is_bech32, 8, 87);
        return -1;
    }
    case 'l':
    case 'L': {
        int lower = c == 'l';
        if (q + 2 < n && s[q] == (lower ? 't' : 'T') && s[q + 1] == (lower ? 'c' : 'C') &&
            s[q + 2] == '1') {
            Py_ssize_t end = whole_run(s, n, q + 3, is_bech32, 8, 87);
            if (end >= 0)
                return end;
        }
        if (lower)
            return -1;
        return whole_run(s, n, q, is_base58, 24, 34);
    }
    case '1':
    case '3':
    case 'M':
    case 'T':
        return whole_run(s, n, q, is_base58, 24, 34);
    default: { /* '4', '8': Monero, 95 or 106 characters */
        Py_ssize_t len = run_of(s, n, q, is_base58);
        if ((len == 94 || len == 105) && !alnum_at(s, n, q + len))
            return q + len;
        return -1;
    }
    }
}

/* --- IBAN: scanner._IBAN (re.ASCII) ---
 * [A-Z](?<![A-Za-z0-9].)[A-Z]\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?(?![A-Za-z0-9])
 */
static inline int is_upper_alnum(ch_t c) { return is_ascii_digit(c) || (c >= 'A' && c <= 'Z'); }

static Py_ssize_t iban_match_at(const ch_t *s, Py_ssize_t n, Py_ssize_t p)
{
    if (!(s[p] >= 'A' && s[p] <= 'Z') || (p >= 1 && is_ascii_alnum(s[p - 1])))
        return -1;
    if (!(p + 3 < n && s[p + 1] >= 'A' && s[p + 1] <= 'Z' && is_ascii_digit(s[p + 2]) &&
          is_ascii_digit(s[p + 3])))
        return -1;
    /* The groups of four: " ?" then four characters; the optional space can only be
     * taken when it is there (four characters cannot start with a space). */
    Py_ssize_t ends[8];
    int groups = 0;
    ends[0] = p + 4;
    while (groups < 7) {
        Py_ssize_t q = ends[groups];
        if (q < n && s[q] == ' ')
            q++;
        if (run_of(s, n, q, is_upper_alnum) < 4)
            break;
        ends[++groups] = q + 4;
    }
    for (int k = groups; k >= 2; k--) { /* backtracking: fewest groups last */
        Py_ssize_t pos = ends[k];
        /* the optional last group, with its space if there is one */
        Py_ssize_t q = pos < n && s[pos] == ' ' ? pos + 1 : pos;
        Py_ssize_t len = run_of(s, n, q, is_upper_alnum);
        if (len > 4)
            len = 4;
        if (len >= 1 && !alnum_at(s, n, q + len))
            return q + len;
        if (!alnum_at(s, n, pos))
            return pos;
    }
    return -1;
}

/* --- IPv4: scanner._IPV4 (re.ASCII) ---
 * \d(?<![0-9A-Za-z.]\d)\d{0,2}(?:\.|\[\.\]|\(\.\)|\[dot\])
 * (?:\d{1,3}(?:\.|\[\.\]|\(\.\)|\[dot\])){2}\d{1,3}(?![0-9]|\.\d|[A-Za-z])
 * An octet is a whole run of digits (a separator or the look-ahead follows it), so the
 * match is a fixed sequence: octet, separator, octet, separator, octet, separator, octet.
 */
static Py_ssize_t ip_separator(const ch_t *s, Py_ssize_t n, Py_ssize_t i)
{
    static const ch_t forms[][6] = {{'.'}, {'[', '.', ']'}, {'(', '.', ')'},
                                    {'[', 'd', 'o', 't', ']'}};
    for (size_t f = 0; f < sizeof forms / sizeof forms[0]; f++) {
        if (literal_at(s, n, i, forms[f]))
            return i + literal_len(forms[f]);
    }
    return -1;
}

/* The end of the address at p, its four octets' spans in octets[]. */
static Py_ssize_t ipv4_match_at(const ch_t *s, Py_ssize_t n, Py_ssize_t p, Py_ssize_t octets[4][2])
{
    if (!is_ascii_digit(s[p]))
        return -1;
    if (p >= 1 && (is_ascii_alnum(s[p - 1]) || s[p - 1] == '.'))
        return -1;
    Py_ssize_t i = p;
    for (int k = 0; k < 4; k++) {
        Py_ssize_t len = run_of(s, n, i, is_ascii_digit_fn);
        if (len < 1 || len > 3)
            return -1;
        octets[k][0] = i;
        octets[k][1] = i + len;
        i += len;
        if (k < 3) {
            i = ip_separator(s, n, i);
            if (i < 0)
                return -1;
        }
    }
    if (i < n && (is_ascii_alnum(s[i]) || (s[i] == '.' && i + 1 < n && is_ascii_digit(s[i + 1]))))
        return -1;
    return i;
}

/* web.ip_normal of the refanged address: dotted quad, no leading zero, octets <= 255. */
static PyObject *ipv4_value(const ch_t *s, Py_ssize_t octets[4][2])
{
    char out[16];
    int len = 0;
    for (int k = 0; k < 4; k++) {
        Py_ssize_t a = octets[k][0], b = octets[k][1];
        if (b - a > 1 && s[a] == '0')
            return NULL;
        int value = 0;
        for (Py_ssize_t i = a; i < b; i++)
            value = value * 10 + (int)(s[i] - '0');
        if (value > 255)
            return NULL;
        len += sprintf(out + len, k ? ".%d" : "%d", value);
    }
    return PyUnicode_FromStringAndSize(out, len);
}

/* --- scanner._VERSION_BEFORE over the lower-cased text before an address ---
 * (?:v(?<!\w.)(?:ersion|er|)|в(?<!\w.)(?:ерси[яиюей]|ер)|b(?<!\w.)uild|с(?<!\w.)борк[аиуе]|
 * a(?<!\w.)ndroid|i(?<!\w.)os|w(?<!\w.)indows|f(?<!\w.)irmware|п(?<!\w.)рошивк[аиуе]|
 * u(?<!\w.)pdate|о(?<!\w.)бновлени[еяю]|r(?<!\w.)elease|р(?<!\w.)елиз|н(?<!\w.)авсозӣ|
 * в(?<!\w.)ерсияи)\.?\s*(?:\S{1,8}\s+)?:?\s*\Z
 * searched from pos; every word has the word-start test after its first letter.
 */
static const ch_t VERSION_WORDS[][12] = {
    {'v', 'e', 'r', 's', 'i', 'o', 'n'},
    {'v', 'e', 'r'},
    {'v'},
    {0x432, 0x435, 0x440, 0x441, 0x438, 0x44f}, /* версия */
    {0x432, 0x435, 0x440, 0x441, 0x438, 0x438}, /* версии */
    {0x432, 0x435, 0x440, 0x441, 0x438, 0x44e}, /* версию */
    {0x432, 0x435, 0x440, 0x441, 0x438, 0x435}, /* версие */
    {0x432, 0x435, 0x440, 0x441, 0x438, 0x439}, /* версий */
    {0x432, 0x435, 0x440},                      /* вер */
    {'b', 'u', 'i', 'l', 'd'},
    {0x441, 0x431, 0x43e, 0x440, 0x43a, 0x430}, /* сборка */
    {0x441, 0x431, 0x43e, 0x440, 0x43a, 0x438}, /* сборки */
    {0x441, 0x431, 0x43e, 0x440, 0x43a, 0x443}, /* сборку */
    {0x441, 0x431, 0x43e, 0x440, 0x43a, 0x435}, /* сборке */
    {'a', 'n', 'd', 'r', 'o', 'i', 'd'},
    {'i', 'o', 's'},
    {'w', 'i', 'n', 'd', 'o', 'w', 's'},
    {'f', 'i', 'r', 'm', 'w', 'a', 'r', 'e'},
    {0x43f, 0x440, 0x43e, 0x448, 0x438, 0x432, 0x43a, 0x430}, /* прошивка */
    {0x43f, 0x440, 0x43e, 0x448, 0x438, 0x432, 0x43a, 0x438}, /* прошивки */
    {0x43f, 0x440, 0x43e, 0x448, 0x438, 0x432, 0x43a, 0x443}, /* прошивку */
    {0x43f, 0x440, 0x43e, 0x448, 0x438, 0x432, 0x43a, 0x435}, /* прошивке */
    {'u', 'p', 'd', 'a', 't', 'e'},
    {0x43e, 0x431, 0x43d, 0x43e, 0x432, 0x43b, 0x435, 0x43d, 0x438, 0x435}, /* обновление */
    {0x43e, 0x431, 0x43d, 0x43e, 0x432, 0x43b, 0x435, 0x43d, 0x438, 0x44f}, /* обновления */
    {0x43e, 0x431, 0x43d, 0x43e, 0x432, 0x43b, 0x435, 0x43d, 0x438, 0x44e}, /* обновлению */
    {'r', 'e', 'l', 'e', 'a', 's', 'e'},
    {0x440, 0x435, 0x43b, 0x438, 0x437},                      /* релиз */
    {0x43d, 0x430, 0x432, 0x441, 0x43e, 0x437, 0x4e3},        /* навсозӣ */
    {0x432, 0x435, 0x440, 0x441, 0x438, 0x44f, 0x438},        /* версияи */
};

/* ":?\s*\Z" from i */
static int colon_spaces_end(const ch_t *s, Py_ssize_t n, Py_ssize_t i)
{
    if (i < n && s[i] == ':')
        i++;
    while (i < n && is_space(s[i]))
        i++;
    return i == n;
}

/* "\.?\s*(?:\S{1,8}\s+)?:?\s*\Z" from i: some way through matches. */
static int version_tail(const ch_t *s, Py_ssize_t n, Py_ssize_t i)
{
    for (int dot = 1; dot >= 0; dot--) {
        Py_ssize_t k = i;
        if (dot) {
            if (!(k < n && s[k] == '.'))
                continue;
            k++;
        }
        while (k < n && is_space(s[k]))
            k++;
        /* with the short word: it is the whole run of non-spaces there, then spaces */
        Py_ssize_t w = k;
        while (w < n && !is_space(s[w]))
            w++;
        if (w - k >= 1 && w - k <= 8 && w < n) {
            Py_ssize_t t = w;
            while (t < n && is_space(s[t]))
                t++;
            if (colon_spaces_end(s, n, t))
                return 1;
        }
        if (colon_spaces_end(s, n, k))
            return 1;
    }
    return 0;
}

static int version_before(const ch_t *s, Py_ssize_t n, Py_ssize_t pos)
{
    for (Py_ssize_t i = pos; i < n; i++) {
        if (!word_start(s, i))
            continue;
        for (size_t w = 0; w < sizeof VERSION_WORDS / sizeof VERSION_WORDS[0]; w++) {
            if (literal_at(s, n, i, VERSION_WORDS[w]) &&
                version_tail(s, n, i + literal_len(VERSION_WORDS[w])))
                return 1;
        }
    }
    return 0;
}

static int append_to(PyObject *out, int priority, Py_ssize_t start, Py_ssize_t end,
                     PyObject *kind, PyObject *value)
{
    PyObject *hit = make_hit(priority, start, end, kind, value, Py_None);
    if (hit == NULL)
        return -1;
    int rc = PyList_Append(out, hit);
    Py_DECREF(hit);
    return rc;
}

/* A check's answer found for text[start:end] as a hit in out, unless it is None: the
 * value of a hit of kind, or, when kind is NULL, a (kind, value) pair. 0, -1 on error. */
static int append_found(PyObject *out, int priority, Py_ssize_t start, Py_ssize_t end,
                        PyObject *kind, PyObject *found)
{
    if (found == Py_None) /* the check refused it: no hit */
        return 0;
    if (kind != NULL)
        return append_to(out, priority, start, end, kind, found);
    if (!PyTuple_Check(found) || PyTuple_GET_SIZE(found) != 2) {
        PyErr_SetString(PyExc_TypeError, "a check must return (kind, value) or None");
        return -1;
    }
    return append_to(out, priority, start, end, PyTuple_GET_ITEM(found, 0),
                     PyTuple_GET_ITEM(found, 1));
}

/* The Python check fn of text[start:end] (and region, when one is given) as a hit in out,
 * unless it answers None (append_found). 0, or -1 on error. */
static int checked_hit(PyObject *out, PyObject *text, PyObject *fn, PyObject *region,
                       int priority, Py_ssize_t start, Py_ssize_t end, PyObject *kind)
{
    PyObject *raw = PyUnicode_Substring(text, start, end);
    if (raw == NULL)
        return -1;
    PyObject *found = region != NULL ? PyObject_CallFunctionObjArgs(fn, raw, region, NULL)
                                     : PyObject_CallOneArg(fn, raw);
    Py_DECREF(raw);
    if (found == NULL)
        return -1;
    int rc = append_found(out, priority, start, end, kind, found);
    Py_DECREF(found);
    return rc;
}

/* A compiled check of s[start:end]: 1 with *found set (as a Python check answers), 0
 * when it leaves the candidate to the Python check, -1 on error. */
typedef int (*compiled_check_t)(const ch_t *s, Py_ssize_t start, Py_ssize_t end,
                                PyObject **found);

/* checked_hit, by the compiled check where it takes the candidate. */
static int compiled_hit(scan_t *st, PyObject *out, compiled_check_t compiled, PyObject *fn,
                        PyObject *region, int priority, Py_ssize_t start, Py_ssize_t end,
                        PyObject *kind)
{
    PyObject *found;
    int taken = compiled(st->s, start, end, &found);
    if (taken <= 0)
        return taken < 0 ? -1 : checked_hit(out, st->text, fn, region, priority, start, end, kind);
    int rc = append_found(out, priority, start, end, kind, found);
    Py_DECREF(found);
    return rc;
}

/* --- wallets and IBANs: money.crypto_kind and money.normalize_iban, compiled --- */

static const char B58_ALPHABET[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
static const char BECH32_CHARSET[] = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
#define BECH32M_CONST 0x2BC830A3UL

static PyObject *pair(PyObject *kind, PyObject *value) /* steals value */
{
    if (value == NULL)
        return NULL;
    PyObject *result = PyTuple_Pack(2, kind, value);
    Py_DECREF(value);
    return result;
}

static int char_index(const char *alphabet, char c)
{
    const char *at = c ? strchr(alphabet, c) : NULL;
    return at == NULL ? -1 : (int)(at - alphabet);
}

/* checksums._polymod */
static unsigned long bech32_polymod(const unsigned char *values, Py_ssize_t n)
{
    static const unsigned long generator[5] = {0x3B6A57B2UL, 0x26508E6DUL, 0x1EA119FAUL,
                                               0x3D4233DDUL, 0x2A1462B3UL};
    unsigned long chk = 1;
    for (Py_ssize_t i = 0; i < n; i++) {
        unsigned long top = chk >> 25;
        chk = ((chk & 0x1FFFFFFUL) << 5) ^ values[i];
        for (int k = 0; k < 5; k++) {
            if ((top >> k) & 1)
                chk ^= generator[k];
        }
    }
    return chk;
}

/* checksums.segwit_decode(hrp, address) is not None, for an ASCII address a[0:n]. */
static int segwit_ok(const char *hrp, const char *a, Py_ssize_t n)
{
    int lower = 0, upper = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        lower |= a[i] >= 'a' && a[i] <= 'z';
        upper |= a[i] >= 'A' && a[i] <= 'Z';
    }
    Py_ssize_t sep = -1, hrp_len = (Py_ssize_t)strlen(hrp);
    for (Py_ssize_t i = 0; i < n; i++) {
        if (a[i] == '1')
            sep = i;
    }
    if ((lower && upper) || sep != hrp_len || !ascii_lower_equal(a, hrp, sep) || sep + 7 > n ||
        n > 90)
        return 0;
    unsigned char values[2 * 8 + 1 + 90];
    Py_ssize_t count = 0;
    for (Py_ssize_t i = 0; i < hrp_len; i++) /* _hrp_expand */
        values[count++] = (unsigned char)(hrp[i] >> 5);
    values[count++] = 0;
    for (Py_ssize_t i = 0; i < hrp_len; i++)
        values[count++] = (unsigned char)(hrp[i] & 31);
    Py_ssize_t data = count;
    for (Py_ssize_t i = sep + 1; i < n; i++) {
        int digit = char_index(BECH32_CHARSET, ascii_lower(a[i]));
        if (digit < 0)
            return 0;
        values[count++] = (unsigned char)digit;
    }
    unsigned long constant = bech32_polymod(values, count);
    if (constant != 1 && constant != BECH32M_CONST)
        return 0;
    int version = values[data];
    unsigned long acc = 0; /* _convert_bits(data[1:-6], 5, 8, False) */
    int bits = 0;
    Py_ssize_t program = 0;
    for (Py_ssize_t i = data + 1; i < count - 6; i++) {
        acc = ((acc << 5) | values[i]) & 0xFFFFF;
        bits += 5;
        if (bits >= 8) {
            bits -= 8;
            program++;
        }
    }
    if (bits >= 5 || ((acc << (8 - bits)) & 0xFF))
        return 0;
    if (version > 16 || program < 2 || program > 40)
        return 0;
    if (version == 0)
        return (program == 20 || program == 32) && constant == 1;
    return constant == BECH32M_CONST;
}

/* hashlib.sha256(data).digest() into out[32]; 0, -1 on error */
static int sha256_into(const unsigned char *data, Py_ssize_t n, unsigned char *out)
{
    PyObject *bytes = PyBytes_FromStringAndSize((const char *)data, n);
    PyObject *hash = bytes == NULL ? NULL : PyObject_CallOneArg(sha256_fn, bytes);
    Py_XDECREF(bytes);
    PyObject *digest = hash == NULL ? NULL : PyObject_CallMethodNoArgs(hash, s_digest);
    Py_XDECREF(hash);
    if (digest == NULL)
        return -1;
    if (!PyBytes_Check(digest) || PyBytes_GET_SIZE(digest) != 32) {
        Py_DECREF(digest);
        PyErr_SetString(PyExc_TypeError, "sha256 must give 32 bytes");
        return -1;
    }
    memcpy(out, PyBytes_AS_STRING(digest), 32);
    Py_DECREF(digest);
    return 0;
}

/* checksums.b58check_decode(a[0:n]), its body kept only when it is 21 bytes (all
 * crypto_kind asks of it): the version byte, -1 for None, -2 on error. */
static int b58check_version(const char *a, Py_ssize_t n)
{
    unsigned char number[64]; /* big-endian, number[64 - size:] */
    Py_ssize_t size = 0, zeros = 0;
    while (zeros < n && a[zeros] == '1')
        zeros++;
    for (Py_ssize_t i = 0; i < n; i++) {
        int digit = char_index(B58_ALPHABET, a[i]);
        if (digit < 0)
            return -1;
        unsigned carry = (unsigned)digit;
        for (Py_ssize_t k = 0; k < size; k++) {
            carry += 58u * number[63 - k];
            number[63 - k] = (unsigned char)(carry & 0xFF);
            carry >>= 8;
        }
        for (; carry; carry >>= 8) {
            if (size == 64)
                return -1; /* far longer than any address: never 25 bytes */
            number[63 - size++] = (unsigned char)(carry & 0xFF);
        }
    }
    Py_ssize_t length = zeros + size; /* b"\0" * zeros + the number's bytes */
    if (length != 25)
        return -1;
    unsigned char raw[25], first[32], second[32];
    memset(raw, 0, (size_t)zeros);
    memcpy(raw + zeros, number + 64 - size, (size_t)size);
    if (sha256_into(raw, 21, first) < 0 || sha256_into(first, 32, second) < 0)
        return -2;
    return memcmp(second, raw + 21, 4) == 0 ? raw[0] : -1;
}

/* scanner._crypto_value (money.crypto_kind) for what the wallet scan matches (ASCII
 * letters and digits); Ethereum's mixed case and Monero (Keccak) are the Python's. */
static int crypto_check(const ch_t *s, Py_ssize_t start, Py_ssize_t end,
                              PyObject **found)
{
    char a[128];
    Py_ssize_t n = end - start;
    if (n > (Py_ssize_t)sizeof a || !all_ascii(s, start, end))
        return 0;
    for (Py_ssize_t i = 0; i < n; i++)
        a[i] = (char)s[start + i];
    PyObject *kind = NULL;
    int version = -1;
    if (n >= 2 && a[0] == '0' && ascii_lower(a[1]) == 'x') {
        int lower = 0, upper = 0, hex = n == 42;
        for (Py_ssize_t i = 2; i < n && hex; i++) {
            hex = is_hex((ch_t)a[i]);
            lower |= a[i] >= 'a' && a[i] <= 'f';
            upper |= a[i] >= 'A' && a[i] <= 'F';
        }
        if (hex && lower && upper)
            return 0; /* EIP-55 */
        kind = hex ? crypto_kinds[CRYPTO_ETH] : NULL;
    } else if (n >= 3 && ascii_lower_equal(a, "bc1", 3)) {
        kind = segwit_ok("bc", a, n) ? crypto_kinds[CRYPTO_BTC] : NULL;
    } else if (n >= 4 && ascii_lower_equal(a, "ltc1", 4)) {
        kind = segwit_ok("ltc", a, n) ? crypto_kinds[CRYPTO_LTC] : NULL;
    } else if (n >= 25 && n <= 35) {
        version = b58check_version(a, n);
        if (version == -2)
            return -1;
        if (version == 0x00 || version == 0x05)
            kind = crypto_kinds[CRYPTO_BTC];
        else if (version == 0x30 || version == 0x32)
            kind = crypto_kinds[CRYPTO_LTC];
        else if (version == 0x41)
            kind = crypto_kinds[CRYPTO_TRX];
    } else if (n == 95 || n == 106) {
        return 0; /* Monero: Keccak */
    }
    if (kind == NULL) {
        *found = Py_NewRef(Py_None);
        return 1;
    }
    if (version < 0) /* Ethereum and bech32: lower case; Base58 as written */
        for (Py_ssize_t i = 0; i < n; i++)
            a[i] = ascii_lower(a[i]);
    *found = pair(kind, PyUnicode_FromStringAndSize(a, n));
    return *found == NULL ? -1 : 1;
}

/* scanner._iban_value (money.normalize_iban) for what the IBAN scan matches: [A-Z0-9]
 * and spaces. A country with a national check module is the Python's. */
static int iban_check(const ch_t *s, Py_ssize_t start, Py_ssize_t end, PyObject **found)
{
    char number[64];
    Py_ssize_t n = 0;
    for (Py_ssize_t i = start; i < end; i++) {
        if (s[i] == ' ')
            continue;
        if (n == (Py_ssize_t)sizeof number || !(is_ascii_digit(s[i]) || (s[i] >= 'A' && s[i] <= 'Z')))
            return 0;
        number[n++] = (char)s[i];
    }
    if (n < 5) /* never from the scan (at least 12) */
        return 0;
    unsigned mod = 0; /* mod_97_10.checksum(number[4:] + number[:4]) */
    for (Py_ssize_t k = 0; k < n; k++) {
        char c = number[(k + 4) % n];
        mod = c <= '9' ? (mod * 10 + (unsigned)(c - '0')) % 97
                       : (mod * 100 + (unsigned)(c - 'A' + 10)) % 97;
    }
    if (mod != 1) {
        *found = Py_NewRef(Py_None);
        return 1;
    }
    PyObject *code = PyUnicode_FromStringAndSize(number, 2);
    PyObject *country = code == NULL ? NULL : PyObject_CallOneArg(iban_country_fn, code);
    Py_XDECREF(code);
    if (country == NULL)
        return -1;
    int rc = 1;
    if (country == Py_None) {
        *found = Py_NewRef(Py_None);
    } else if (!PyTuple_Check(country) || PyTuple_GET_SIZE(country) != 2) {
        PyErr_SetString(PyExc_TypeError, "money._iban_country must give (pattern, module)");
        rc = -1;
    } else if (PyTuple_GET_ITEM(country, 1) != Py_None) {
        rc = 0; /* a national check: the Python's */
    } else {
        PyObject *bban = PyUnicode_FromStringAndSize(number + 4, n - 4);
        PyObject *match = bban == NULL ? NULL
                                       : PyObject_CallMethodOneArg(PyTuple_GET_ITEM(country, 0),
                                                                   s_fullmatch, bban);
        Py_XDECREF(bban);
        if (match == NULL) {
            rc = -1;
        } else {
            *found = match == Py_None ? Py_NewRef(Py_None)
                                      : PyUnicode_FromStringAndSize(number, n);
            rc = *found == NULL ? -1 : 1;
            Py_DECREF(match);
        }
    }
    Py_DECREF(country);
    return rc;
}

/* Each *_hit_at below: the end of its pattern's match at p (the hit appended to out when
 * its value checks out), -1 without a match, -2 on a Python error. */

static Py_ssize_t crypto_hit_at(scan_t *st, Py_ssize_t p, PyObject *out)
{
    Py_ssize_t end = crypto_match_at(st->s, st->n, p);
    if (end < 0)
        return -1;
    return compiled_hit(st, out, crypto_check, crypto_value_fn, NULL, crypto_priority, p,
                        end, NULL) < 0
               ? -2
               : end;
}

static Py_ssize_t iban_hit_at(scan_t *st, Py_ssize_t p, PyObject *out)
{
    Py_ssize_t end = iban_match_at(st->s, st->n, p);
    if (end < 0)
        return -1;
    return compiled_hit(st, out, iban_check, iban_value_fn, NULL, iban_priority, p, end,
                        kind_iban) < 0
               ? -2
               : end;
}

static Py_ssize_t ipv4_hit_at(scan_t *st, Py_ssize_t p, PyObject *out)
{
    const ch_t *s = st->s;
    Py_ssize_t octets[4][2];
    Py_ssize_t end = ipv4_match_at(s, st->n, p, octets);
    if (end < 0)
        return -1;
    /* text[context:start].lower(), searched from low - context */
    Py_ssize_t low = p > 24 ? p - 24 : 0;
    Py_ssize_t context = low > 0 ? low - 1 : 0;
    ch_t before[25];
    Py_ssize_t nb = p - context;
    for (Py_ssize_t i = 0; i < nb; i++)
        before[i] = to_lower(s[context + i]);
    if (version_before(before, nb, low - context))
        return end;
    PyObject *value = ipv4_value(s, octets);
    if (value == NULL)
        return PyErr_Occurred() ? -2 : end;
    int rc = append_to(out, ip_priority, p, end, kind_ipv4, value);
    Py_DECREF(value);
    return rc < 0 ? -2 : end;
}

static Py_ssize_t ipv6_hit_at(scan_t *st, Py_ssize_t p, PyObject *out);

/* scanner._IPV6_HINT, :[0-9A-Fa-f]{0,4}: somewhere in s[0:n] */
static int ipv6_hint(const ch_t *s, Py_ssize_t n)
{
    for (Py_ssize_t i = 0; i < n; i++) {
        if (s[i] != ':')
            continue;
        Py_ssize_t j = i + 1;
        while (j < n && j - i - 1 < 4 && is_hex(s[j]))
            j++;
        if (j < n && s[j] == ':')
            return 1;
    }
    return 0;
}

/* scanner._crypto_hits, _iban_hits, _ipv4_hits and _ipv6_hits: one pass, each pattern
 * searched as finditer searches it (from the end of its own last match), the hits of
 * each kept apart and appended in that order, as the four Python scans append them. */
static int fixed_hits(scan_t *st)
{
    static Py_ssize_t (*const hit_at[4])(scan_t *, Py_ssize_t, PyObject *) = {
        crypto_hit_at, iban_hit_at, ipv4_hit_at, ipv6_hit_at};
    static const int scans[4] = {STARTS_CRYPTO, STARTS_IBAN, STARTS_IPV4, STARTS_IPV6};
    const ch_t *s = st->s;
    Py_ssize_t n = st->n;
    PyObject *lists[4] = {PyList_New(0), PyList_New(0), PyList_New(0), PyList_New(0)};
    Py_ssize_t next[4] = {0, 0, 0, 0};
    int rc = -1;
    for (int k = 0; k < 4; k++) {
        if (lists[k] == NULL)
            goto done;
    }
    if (!ipv6_hint(s, n))
        next[3] = n; /* scanner._IPV6_HINT: no IPv6 address can be in the text */
    for (Py_ssize_t p = 0; p < n; p++) {
        /* Each pattern starts with a character that no ASCII letter or digit precedes
         * (its look-behind): inside a word, none can start. */
        if (s[p] >= 128 || !starts[s[p]] || (p > 0 && is_ascii_alnum(s[p - 1])))
            continue;
        for (int k = 0; k < 4; k++) {
            if (p < next[k] || !(starts[s[p]] & scans[k]))
                continue;
            Py_ssize_t end = hit_at[k](st, p, lists[k]);
            if (end == -2)
                goto done;
            if (end >= 0)
                next[k] = end;
        }
    }
    rc = 0;
    for (int k = 0; k < 4 && rc == 0; k++) {
        Py_ssize_t size = PyList_GET_SIZE(st->out);
        rc = PyList_SetSlice(st->out, size, size, lists[k]);
    }
done:
    for (int k = 0; k < 4; k++)
        Py_XDECREF(lists[k]);
    return rc;
}

/* --- IPv6: scanner._IPV6 (re.ASCII) ---
 * [0-9A-Fa-f:](?<![0-9A-Za-z:.].)
 * (?:(?<=:)H{0,4}(?::H{0,4}){1,6}|(?<=H)H{0,3}(?::H{0,4}){2,7})
 * (?:(?<=:)\d{1,3}(?:\.\d{1,3}){3})?(?![0-9A-Za-z:]|\.\d)        with H = [0-9A-Fa-f]
 * Translated as re runs it: every repetition greedy, backtracking in the same order
 * (a group of hex digits gives back digits one by one, so that "::ffff:1.2.3.4" can
 * end in the dotted tail). Each level has at most five choices and only the longest and
 * the empty one can go on, so the search stays short.
 */
static int ipv6_end_ok(const ch_t *s, Py_ssize_t n, Py_ssize_t i)
{
    if (i < n && (is_ascii_alnum(s[i]) || s[i] == ':'))
        return 0;
    return !(i + 1 < n && s[i] == '.' && is_ascii_digit(s[i + 1]));
}

/* \d{1,3}(?:\.\d{1,3}){3} then the end test, from i; the end or -1. */
static Py_ssize_t ipv6_dotted_tail(const ch_t *s, Py_ssize_t n, Py_ssize_t i, int part)
{
    Py_ssize_t run = run_of(s, n, i, is_ascii_digit_fn);
    for (Py_ssize_t k = run < 3 ? run : 3; k >= 1; k--) {
        Py_ssize_t e = i + k;
        if (part == 3) {
            if (ipv6_end_ok(s, n, e))
                return e;
        } else if (e < n && s[e] == '.') {
            Py_ssize_t end = ipv6_dotted_tail(s, n, e + 1, part + 1);
            if (end >= 0)
                return end;
        }
    }
    return -1;
}

static Py_ssize_t ipv6_after_groups(const ch_t *s, Py_ssize_t n, Py_ssize_t i)
{
    if (i > 0 && s[i - 1] == ':') {
        Py_ssize_t end = ipv6_dotted_tail(s, n, i, 0);
        if (end >= 0)
            return end;
    }
    return ipv6_end_ok(s, n, i) ? i : -1;
}

/* (?::H{0,4}){done..max} from i, then the rest; the end or -1. */
static Py_ssize_t ipv6_groups(const ch_t *s, Py_ssize_t n, Py_ssize_t i, int done, int min, int max)
{
    if (done < max && i < n && s[i] == ':') {
        Py_ssize_t run = run_of(s, n, i + 1, is_hex);
        for (Py_ssize_t k = run < 4 ? run : 4; k >= 0; k--) {
            Py_ssize_t end = ipv6_groups(s, n, i + 1 + k, done + 1, min, max);
            if (end >= 0)
                return end;
        }
    }
    return done >= min ? ipv6_after_groups(s, n, i) : -1;
}

static Py_ssize_t ipv6_match_at(const ch_t *s, Py_ssize_t n, Py_ssize_t p)
{
    ch_t c = s[p];
    if (!(c == ':' || is_hex(c)))
        return -1;
    if (p > 0 && (is_ascii_alnum(s[p - 1]) || s[p - 1] == ':' || s[p - 1] == '.'))
        return -1;
    Py_ssize_t run = run_of(s, n, p + 1, is_hex);
    int first_max = c == ':' ? 4 : 3, min = c == ':' ? 1 : 2, max = c == ':' ? 6 : 7;
    for (Py_ssize_t k = run < first_max ? run : first_max; k >= 0; k--) {
        Py_ssize_t end = ipv6_groups(s, n, p + 1 + k, 0, min, max);
        if (end >= 0)
            return end;
    }
    return -1;
}


/* --- web.ip_normal of an IPv6 candidate: ipaddress's parsing rules and RFC 5952 text ---
 * As ipaddress.IPv6Address (Python 3.11) reads a string without a scope: at least three
 * parts between colons; a dotted IPv4 last part (four decimal octets, no leading zero,
 * at most 255) counts as two; at most nine parts; one "::" at most; every other part one
 * to four hex digits. The text is str(address), or "::ffff:" and the dotted quad for an
 * IPv4-mapped address, as web.ip_normal gives it. */
static int ipv4_octets(const ch_t *s, Py_ssize_t a, Py_ssize_t b, unsigned *out)
{
    int part = 0;
    Py_ssize_t start = a;
    for (Py_ssize_t i = a; i <= b; i++) {
        if (i < b && s[i] != '.')
            continue;
        Py_ssize_t len = i - start;
        if (part == 4 || len < 1 || len > 3)
            return 0;
        unsigned value = 0;
        for (Py_ssize_t k = start; k < i; k++) {
            if (!is_ascii_digit(s[k]))
                return 0;
            value = value * 10 + (unsigned)(s[k] - '0');
        }
        if ((len > 1 && s[start] == '0') || value > 255)
            return 0;
        out[part++] = value;
        start = i + 1;
    }
    return part == 4;
}

static int hex_value(ch_t c)
{
    if (is_ascii_digit(c))
        return (int)(c - '0');
    c |= 0x20;
    return c >= 'a' && c <= 'f' ? (int)(c - 'a' + 10) : -1;
}

/* The eight hextets of s[a:b], or 0 when ipaddress would refuse it. */
static int ipv6_hextets(const ch_t *s, Py_ssize_t a, Py_ssize_t b, unsigned hextets[8])
{
    Py_ssize_t starts[12], ends[12];
    int parts = 0;
    Py_ssize_t start = a;
    for (Py_ssize_t i = a; i <= b; i++) {
        if (i < b && s[i] != ':')
            continue;
        if (parts == 12)
            return 0; /* more than nine parts whatever the last one is */
        starts[parts] = start;
        ends[parts] = i;
        parts++;
        start = i + 1;
    }
    if (parts < 3)
        return 0;
    unsigned values[12];
    int dotted = 0;
    for (Py_ssize_t i = starts[parts - 1]; i < ends[parts - 1]; i++)
        dotted |= s[i] == '.';
    if (dotted) {
        unsigned octets[4];
        if (!ipv4_octets(s, starts[parts - 1], ends[parts - 1], octets))
            return 0;
        parts--;
        values[parts] = octets[0] << 8 | octets[1];
        starts[parts] = ends[parts] = -1; /* a parsed part, not empty */
        values[parts + 1] = octets[2] << 8 | octets[3];
        starts[parts + 1] = ends[parts + 1] = -1;
        parts += 2;
    }
    if (parts > 9)
        return 0;
    int skip = -1;
    for (int i = 1; i < parts - 1; i++) {
        if (starts[i] >= 0 && starts[i] == ends[i]) {
            if (skip >= 0)
                return 0;
            skip = i;
        }
    }
    int first_empty = starts[0] >= 0 && starts[0] == ends[0];
    int last_empty = starts[parts - 1] >= 0 && starts[parts - 1] == ends[parts - 1];
    int hi, lo, skipped;
    if (skip >= 0) {
        hi = skip;
        lo = parts - skip - 1;
        if (first_empty && --hi)
            return 0;
        if (last_empty && --lo)
            return 0;
        skipped = 8 - (hi + lo);
        if (skipped < 1)
            return 0;
    } else {
        if (parts != 8 || first_empty || last_empty)
            return 0;
        hi = parts;
        lo = 0;
        skipped = 0;
    }
    int out = 0;
    for (int k = 0; k < hi + lo; k++) {
        int i = k < hi ? k : parts - lo + (k - hi);
        if (k == hi)
            for (int z = 0; z < skipped; z++)
                hextets[out++] = 0;
        if (starts[i] < 0) {
            hextets[out++] = values[i];
            continue;
        }
        Py_ssize_t len = ends[i] - starts[i];
        if (len > 4 || len < 1)
            return 0;
        unsigned value = 0;
        for (Py_ssize_t j = starts[i]; j < ends[i]; j++) {
            int d = hex_value(s[j]);
            if (d < 0)
                return 0;
            value = value << 4 | (unsigned)d;
        }
        hextets[out++] = value;
    }
    while (out < 8) /* "::" at the end */
        hextets[out++] = 0;
    return 1;
}

static PyObject *ipv6_normal(const ch_t *s, Py_ssize_t a, Py_ssize_t b)
{
    unsigned h[8];
    if (!ipv6_hextets(s, a, b, h))
        Py_RETURN_NONE;
    char out[48];
    int len = 0;
    if (!h[0] && !h[1] && !h[2] && !h[3] && !h[4] && h[5] == 0xFFFF) {
        len = sprintf(out, "::ffff:%u.%u.%u.%u", h[6] >> 8, h[6] & 255, h[7] >> 8, h[7] & 255);
        return PyUnicode_FromStringAndSize(out, len);
    }
    /* ipaddress._compress_hextets: the first longest run of two or more zeros is "::" */
    int best = -1, best_len = 0, run_start = -1, run_len = 0;
    for (int i = 0; i < 8; i++) {
        if (h[i] == 0) {
            if (run_start < 0)
                run_start = i;
            if (++run_len > best_len) {
                best_len = run_len;
                best = run_start;
            }
        } else {
            run_start = -1;
            run_len = 0;
        }
    }
    if (best_len < 2)
        best = -1;
    for (int i = 0; i < 8; i++) {
        if (i == best) {
            len += sprintf(out + len, i == 0 ? "::" : ":");
            i += best_len - 1;
            if (i == 7)
                break;
            continue;
        }
        len += sprintf(out + len, "%x%s", h[i], i < 7 ? ":" : "");
    }
    return PyUnicode_FromStringAndSize(out, len);
}

/* scanner._ipv6_hits, at p */
static Py_ssize_t ipv6_hit_at(scan_t *st, Py_ssize_t p, PyObject *out)
{
    const ch_t *s = st->s;
    Py_ssize_t end = ipv6_match_at(s, st->n, p);
    if (end < 0)
        return -1;
    Py_ssize_t colons = 0;
    int compressed = 0;
    for (Py_ssize_t i = p; i < end; i++) {
        if (s[i] == ':') {
            colons++;
            compressed |= i + 1 < end && s[i + 1] == ':';
        }
    }
    if (!compressed && colons < 7)
        return end; /* times (12:30:45) and MAC addresses, not compressed IPv6 */
    PyObject *value = ipv6_normal(s, p, end); /* always with a colon, as _ipv6_hits asks */
    if (value == NULL)
        return -2;
    int rc = value == Py_None ? 0 : append_to(out, ip_priority, p, end, kind_ipv6, value);
    Py_DECREF(value);
    return rc < 0 ? -2 : end;
}

/* --- links, e-mail addresses and host names: scanner._web_matches and _web_hits ---
 *
 * _WEB, tried at a position, is three alternatives in order:
 *   url:   (?<![A-Za-z0-9]) SCHEME URL_CHARS+
 *   email: (?<![A-Za-z0-9._%+\-]) [A-Za-z0-9._%+-]{1,64} AT HOST
 *   host:  HOST_START (?P<hostname>HOST) (?::\d{1,5})? (?:/URL_CHARS*)?
 * HOST = LABEL (?:DOT LABEL)+, LABEL = a Latin label, else a Cyrillic one (of at most 63
 * characters, ending in a letter or digit), DOT = "." or \s?[\[({](?:\.|dot|DOT)[\])}]\s?.
 * What follows a HOST is optional, so the first way through it that re finds is the
 * match: the first label must be its whole run (a shorter one leaves a label character
 * where a DOT must start), and every later label is the first that matches after the
 * first DOT form that lets one match. host_end() walks exactly that.
 */
static inline int is_cyrillic(ch_t c) /* scanner._CYR */
{
    if (c >= 0x410 && c <= 0x44F)
        return 1;
    switch (c) {
    case 0x401: case 0x404: case 0x406: case 0x407: case 0x40E: case 0x451: case 0x454:
    case 0x456: case 0x457: case 0x45E: case 0x492: case 0x493: case 0x49A: case 0x49B:
    case 0x4A2: case 0x4A3: case 0x4AE: case 0x4AF: case 0x4B2: case 0x4B3: case 0x4B6:
    case 0x4B7: case 0x4D8: case 0x4D9: case 0x4E2: case 0x4E3: case 0x4E8: case 0x4E9:
    case 0x4EE: case 0x4EF:
        return 1;
    default:
        return 0;
    }
}
static int latin_label_char(ch_t c) { return is_ascii_alnum(c) || c == '-'; }
static int cyrillic_label_char(ch_t c) { return is_cyrillic(c) || is_ascii_digit(c) || c == '-'; }

/* The end of the longest label at j of one script (at most 63 characters, not ending
 * in a hyphen), or -1; with whole, only the whole run of label characters counts. */
static Py_ssize_t label_end(const ch_t *s, Py_ssize_t n, Py_ssize_t j, int cyrillic, int whole)
{
    if (j >= n)
        return -1;
    if (cyrillic ? !(is_cyrillic(s[j]) || is_ascii_digit(s[j])) : !is_ascii_alnum(s[j]))
        return -1;
    Py_ssize_t run = run_of(s, n, j, cyrillic ? cyrillic_label_char : latin_label_char);
    Py_ssize_t m = run < 63 ? run : 63;
    while (m > 0 && s[j + m - 1] == '-')
        m--;
    if (whole && m != run)
        return -1;
    return j + m;
}

/* A later label: Latin if one starts here, else Cyrillic. */
static Py_ssize_t next_label_end(const ch_t *s, Py_ssize_t n, Py_ssize_t j)
{
    Py_ssize_t end = label_end(s, n, j, 0, 0);
    return end >= 0 ? end : label_end(s, n, j, 1, 0);
}

static inline int open_bracket(ch_t c) { return c == '[' || c == '(' || c == '{'; }
static inline int close_bracket(ch_t c) { return c == ']' || c == ')' || c == '}'; }

/* \s?[\[({]WORD[\])}] at i, WORD one of the NUL-separated words; its end or -1. */
static Py_ssize_t bracketed_at(const ch_t *s, Py_ssize_t n, Py_ssize_t i, const ch_t *const *words)
{
    if (i < n && is_space(s[i]))
        i++;
    if (!(i < n && open_bracket(s[i])))
        return -1;
    i++;
    for (; *words; words++) {
        if (literal_at(s, n, i, *words)) {
            Py_ssize_t k = i + literal_len(*words);
            if (k < n && close_bracket(s[k]))
                return k + 1;
            return -1; /* the words are of one length per first letter: no other fits */
        }
    }
    return -1;
}

static const ch_t W_DOT[] = {'.', 0}, W_DOT_WORD[] = {'d', 'o', 't', 0},
                  W_DOT_UPPER[] = {'D', 'O', 'T', 0};
static const ch_t *const DOT_WORDS[] = {W_DOT, W_DOT_WORD, W_DOT_UPPER, NULL};
static const ch_t W_AT[] = {'@', 0}, W_AT_WORD[] = {'a', 't', 0}, W_AT_UPPER[] = {'A', 'T', 0};
static const ch_t *const AT_WORDS[] = {W_AT, W_AT_WORD, W_AT_UPPER, NULL};

/* A DOT then a label at e: the label's end, or -1. */
static Py_ssize_t dot_label_end(const ch_t *s, Py_ssize_t n, Py_ssize_t e)
{
    if (e < n && s[e] == '.')
        return next_label_end(s, n, e + 1);
    Py_ssize_t d = bracketed_at(s, n, e, DOT_WORDS);
    if (d < 0)
        return -1;
    if (d < n && is_space(s[d])) { /* the trailing \s?, taken first */
        Py_ssize_t end = next_label_end(s, n, d + 1);
        if (end >= 0)
            return end;
    }
    return next_label_end(s, n, d);
}

static Py_ssize_t host_end(const ch_t *s, Py_ssize_t n, Py_ssize_t h)
{
    for (int cyrillic = 0; cyrillic <= 1; cyrillic++) {
        Py_ssize_t e = label_end(s, n, h, cyrillic, 1);
        if (e < 0)
            continue;
        Py_ssize_t next = dot_label_end(s, n, e);
        if (next < 0)
            continue;
        while (next >= 0) {
            e = next;
            next = dot_label_end(s, n, e);
        }
        return e;
    }
    return -1;
}

static inline int url_char(ch_t c) /* [^\s<>"'«»“”‘’`|\\^{}] */
{
    if (is_space(c))
        return 0;
    switch (c) {
    case '<': case '>': case '"': case '\'': case 0xAB: case 0xBB: case 0x201C: case 0x201D:
    case 0x2018: case 0x2019: case '`': case '|': case '\\': case '^': case '{': case '}':
        return 0;
    default:
        return 1;
    }
}
static int url_char_fn(ch_t c) { return url_char(c); }

static inline ch_t fold(ch_t c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

/* (?:[hH](?:[tT][tT]|[xX][xX])[pP][sS]?|[fF](?:[tT]|[xX])[pP])(?::|\[:\])// */
static Py_ssize_t scheme_end(const ch_t *s, Py_ssize_t n, Py_ssize_t k)
{
    Py_ssize_t i = k;
    if (i < n && fold(s[i]) == 'h') {
        if (!(i + 2 < n && ((fold(s[i + 1]) == 't' && fold(s[i + 2]) == 't') ||
                            (fold(s[i + 1]) == 'x' && fold(s[i + 2]) == 'x'))))
            return -1;
        i += 3;
        if (!(i < n && fold(s[i]) == 'p'))
            return -1;
        i++;
        if (i < n && fold(s[i]) == 's')
            i++;
    } else if (i < n && fold(s[i]) == 'f') {
        if (!(i + 2 < n && (fold(s[i + 1]) == 't' || fold(s[i + 1]) == 'x') &&
              fold(s[i + 2]) == 'p'))
            return -1;
        i += 3;
    } else {
        return -1;
    }
    if (i < n && s[i] == ':')
        i++;
    else if (i + 2 < n && s[i] == '[' && s[i + 1] == ':' && s[i + 2] == ']')
        i += 3;
    else
        return -1;
    if (!(i + 1 < n && s[i] == '/' && s[i + 1] == '/'))
        return -1;
    return i + 2;
}

static inline int email_local_char(ch_t c)
{
    return is_ascii_alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}
static int email_local_char_fn(ch_t c) { return email_local_char(c); }

enum web_group { WEB_NONE, WEB_URL, WEB_EMAIL, WEB_HOST };

typedef struct {
    enum web_group group;
    Py_ssize_t end;
    Py_ssize_t host_start, host_end; /* the hostname group */
} web_match_t;

static int web_match_at(const ch_t *s, Py_ssize_t n, Py_ssize_t k, web_match_t *m)
{
    ch_t prev = k > 0 ? s[k - 1] : 0;
    int has_prev = k > 0;
    /* url */
    if (!(has_prev && is_ascii_alnum(prev))) {
        Py_ssize_t i = scheme_end(s, n, k);
        if (i >= 0) {
            Py_ssize_t len = run_of(s, n, i, url_char_fn);
            if (len >= 1) {
                m->group = WEB_URL;
                m->end = i + len;
                return 1;
            }
        }
    }
    /* email */
    if (!(has_prev && email_local_char(prev))) {
        Py_ssize_t local = run_of(s, n, k, email_local_char_fn);
        if (local >= 1 && local <= 64) {
            Py_ssize_t a = k + local, end = -1;
            if (a < n && s[a] == '@') {
                end = host_end(s, n, a + 1);
            } else {
                Py_ssize_t b = bracketed_at(s, n, a, AT_WORDS);
                if (b >= 0) {
                    if (b < n && is_space(s[b]))
                        end = host_end(s, n, b + 1);
                    if (end < 0)
                        end = host_end(s, n, b);
                }
            }
            if (end >= 0) {
                m->group = WEB_EMAIL;
                m->end = end;
                return 1;
            }
        }
    }
    /* host */
    int starts = 0;
    if (k < n && is_ascii_alnum(s[k]))
        starts = !(has_prev && (is_ascii_alnum(prev) || prev == '_' || prev == '.' ||
                                prev == '-' || prev == '@'));
    else if (k < n && is_cyrillic(s[k]))
        starts = !(has_prev && (is_cyrillic(prev) || is_ascii_digit(prev) || prev == '_' ||
                                prev == '.' || prev == '-' || prev == '@'));
    if (!starts)
        return 0;
    Py_ssize_t e = host_end(s, n, k);
    if (e < 0)
        return 0;
    m->group = WEB_HOST;
    m->host_start = k;
    m->host_end = e;
    if (e < n && s[e] == ':') {
        Py_ssize_t d = e + 1;
        while (d < n && d - (e + 1) < 5 && Py_UNICODE_ISDECIMAL(s[d]))
            d++;
        if (d > e + 1)
            e = d;
    }
    if (e < n && s[e] == '/')
        e = e + 1 + run_of(s, n, e + 1, url_char_fn);
    m->end = e;
    return 1;
}

/* scanner._WEB_ANCHOR at i: the anchor's end, or -1.
 * [.@\[({:](?:(?<=\.)(?=[^\s.@0-9])|(?<=@)(?=[^\s.@])|(?<=[\[({])(?:\.|dot|DOT|@|at|AT)[\])}]
 * |(?<=:)//|(?<=\[):\]//) */
static Py_ssize_t anchor_end(const ch_t *s, Py_ssize_t n, Py_ssize_t i)
{
    ch_t c = s[i];
    if (c == '.') {
        if (i + 1 < n && !is_space(s[i + 1]) && s[i + 1] != '.' && s[i + 1] != '@' &&
            !is_ascii_digit(s[i + 1]))
            return i + 1;
        return -1;
    }
    if (c == '@') {
        if (i + 1 < n && !is_space(s[i + 1]) && s[i + 1] != '.' && s[i + 1] != '@')
            return i + 1;
        return -1;
    }
    if (c == ':') {
        if (i + 2 < n && s[i + 1] == '/' && s[i + 2] == '/')
            return i + 3;
        return -1;
    }
    if (open_bracket(c)) {
        static const ch_t *const words[] = {W_DOT, W_DOT_WORD, W_DOT_UPPER, W_AT, W_AT_WORD,
                                            W_AT_UPPER, NULL};
        for (const ch_t *const *w = words; *w; w++) {
            if (literal_at(s, n, i + 1, *w)) {
                Py_ssize_t k = i + 1 + literal_len(*w);
                if (k < n && close_bracket(s[k]))
                    return k + 1;
                break;
            }
        }
        if (c == '[' && i + 4 < n && s[i + 1] == ':' && s[i + 2] == ']' && s[i + 3] == '/' &&
            s[i + 4] == '/')
            return i + 5;
        return -1;
    }
    return -1;
}

static inline int token_punct(ch_t c) /* scanner._TOKEN_PUNCT */
{
    switch (c) {
    case '.': case '_': case '%': case '+': case '-': case ':': case '/': case '@': case '[':
    case ']': case '(': case ')': case '{': case '}':
        return 1;
    default:
        return 0;
    }
}

static inline int trailing(ch_t c) /* scanner._TRAILING */
{
    switch (c) {
    case '.': case ',': case ';': case ':': case '!': case '?': case '\'': case '"': case 0xBB:
    case 0x201D: case 0x2019: case ')': case ']': case '}': case 0x2026:
        return 1;
    default:
        return 0;
    }
}

/* scanner._trim_url_end */
static Py_ssize_t trim_url_end(const ch_t *s, Py_ssize_t start, Py_ssize_t end)
{
    while (end > start && trailing(s[end - 1])) {
        if (s[end - 1] == ')') {
            Py_ssize_t open = 0, close = 0;
            for (Py_ssize_t i = start; i < end; i++) {
                open += s[i] == '(';
                close += s[i] == ')';
            }
            if (open >= close)
                break;
        }
        end--;
    }
    for (Py_ssize_t i = start; i + 1 < end; i++) {
        if (is_ascii_alnum(s[i]) && is_cyrillic(s[i + 1]))
            return i + 1; /* "bit.ly/abcвход": the next word */
    }
    return end;
}

static int url_check(const ch_t *s, Py_ssize_t start, Py_ssize_t end, PyObject **found);

static int domain_check(const ch_t *s, Py_ssize_t start, Py_ssize_t end,
                              PyObject **found);
static int email_check(const ch_t *s, Py_ssize_t start, Py_ssize_t end, PyObject **found);

/* scanner._url_hit */
static int url_hit(scan_t *st, Py_ssize_t start, Py_ssize_t end, int priority)
{
    return compiled_hit(st, st->out, url_check, url_value_fn, st->region, priority, start,
                        end, NULL);
}


/* str.islower() of s[a:b]: no upper or title case letter, and one lower case letter. */
static int all_lower(const ch_t *s, Py_ssize_t a, Py_ssize_t b)
{
    int cased = 0;
    for (Py_ssize_t i = a; i < b; i++) {
        if (Py_UNICODE_ISUPPER(s[i]) || Py_UNICODE_ISTITLE(s[i]))
            return 0;
        if (!cased && Py_UNICODE_ISLOWER(s[i]))
            cased = 1;
    }
    return cased;
}

/* The part of scanner._web_hits for a host match. */
static Py_ssize_t refang_into(const ch_t *s, Py_ssize_t start, Py_ssize_t end, ch_t *out);

/* scanner._host_tld_ok of s[start:end] (refanged if defanged): web.tld_plausible of its
 * last label, lower-cased. 1, 0, -1 on error. */
static int host_tld_ok(const ch_t *s, Py_ssize_t start, Py_ssize_t end)
{
    ch_t *refanged = NULL;
    for (Py_ssize_t i = start; i < end && refanged == NULL; i++) {
        if (!open_bracket(s[i]))
            continue;
        refanged = PyMem_Malloc(sizeof(ch_t) * (size_t)(end - start));
        if (refanged == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        end = refang_into(s, start, end, refanged);
        s = refanged, start = 0;
    }
    Py_ssize_t tld = end;
    while (tld > start && s[tld - 1] != '.')
        tld--;
    ch_t *low = PyMem_Malloc(sizeof(ch_t) * (size_t)(end - tld + 1));
    int answer = -1;
    if (low == NULL) {
        PyErr_NoMemory();
    } else {
        Py_ssize_t n = end - tld;
        int ascii = 1;
        for (Py_ssize_t i = 0; i < n; i++) {
            low[i] = to_lower(s[tld + i]);
            ascii &= low[i] < 128;
        }
        if (ascii && n >= 4 && low[0] == 'x' && low[1] == 'n' && low[2] == '-' && low[3] == '-') {
            answer = 1;
        } else {
            PyObject *label = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, low, n);
            answer = label == NULL ? -1 : PySet_Contains(ascii ? top_labels : cyrillic_suffixes, label);
            Py_XDECREF(label);
        }
    }
    PyMem_Free(low);
    PyMem_Free(refanged);
    return answer;
}

static int host_hit(scan_t *st, const web_match_t *m, Py_ssize_t start)
{
    const ch_t *s = st->s;
    int plausible = host_tld_ok(s, m->host_start, m->host_end);
    if (plausible <= 0)
        return plausible;
    Py_ssize_t end = trim_url_end(s, start, m->end);
    for (Py_ssize_t i = start; i < end; i++) {
        if (s[i] == '/' || s[i] == ':')
            return url_hit(st, start, end, host_priority);
    }
    if (end - start >= 2 && Py_UNICODE_ISUPPER(s[end - 1]) && Py_UNICODE_ISLOWER(s[end - 2]))
        return 0; /* "...it.Now": a full stop without its space */
    Py_ssize_t tld = end; /* raw.rsplit(".", 1)[-1]: the whole of raw without a dot */
    while (tld > start && s[tld - 1] != '.')
        tld--;
    if (end - tld > 1 && Py_UNICODE_ISUPPER(s[tld]) && all_lower(s, tld + 1, end))
        return 0;
    return compiled_hit(st, st->out, domain_check, domain_value_fn, NULL, host_priority,
                        start, end,
                       kind_domain);
}

static int web_hits(scan_t *st)
{
    const ch_t *s = st->s;
    Py_ssize_t n = st->n;
    Py_ssize_t pos = 0;
    for (Py_ssize_t i = 0; i < n;) {
        if (!may_start(s[i], STARTS_ANCHOR)) {
            i++;
            continue;
        }
        Py_ssize_t aend = anchor_end(s, n, i);
        if (aend < 0) {
            i++;
            continue;
        }
        if (i >= pos) {
            Py_ssize_t j = i;
            if (open_bracket(s[i]) && j > 0 && is_space(s[j - 1]))
                j--; /* "ivan [at] mail [dot] ru" */
            while (j > pos && (Py_UNICODE_ISALNUM(s[j - 1]) || token_punct(s[j - 1])))
                j--;
            for (Py_ssize_t k = j; k <= i; k++) {
                web_match_t m = {WEB_NONE, -1, -1, -1};
                if (!web_match_at(s, n, k, &m) || m.end <= i)
                    continue;
                pos = m.end;
                int rc;
                if (m.group == WEB_EMAIL)
                    rc = compiled_hit(st, st->out, email_check, email_value_fn, NULL,
                                      web_priority, k, m.end, kind_email);
                else if (m.group == WEB_URL)
                    rc = url_hit(st, k, trim_url_end(s, k, m.end), web_priority);
                else
                    rc = host_hit(st, &m, k);
                if (rc < 0)
                    return -1;
                break;
            }
        }
        i = aend;
    }
    return 0;
}

/* --- @handles: scanner._handle_hits, social.platform_mentions and platform_for --- */

enum { P_TELEGRAM, P_INSTAGRAM, P_TIKTOK, P_VK, P_OK, P_FACEBOOK, P_WHATSAPP, P_COUNT };

typedef struct {
    ch_t text[14];
    int platform;
    int short_word; /* social._SHORT: counts only as a whole word */
} platform_word_t;

/* social._PLATFORM_WORDS, its alternatives in the order re tries them ("tik ?tok": the
 * space first), each with the platform its word starts (social._PLATFORM_OF). */
static const platform_word_t PLATFORM_WORDS[] = {
    {{'t', 'e', 'l', 'e', 'g', 'r'}, P_TELEGRAM, 0},
    {{'t', 'g'}, P_TELEGRAM, 1},
    {{'t', 'i', 'k', ' ', 't', 'o', 'k'}, P_TIKTOK, 0},
    {{'t', 'i', 'k', 't', 'o', 'k'}, P_TIKTOK, 0},
    {{0x442, 0x435, 0x43b, 0x435, 0x433}, P_TELEGRAM, 0}, /* телег */
    {{0x442, 0x433}, P_TELEGRAM, 1},                      /* тг */
    {{0x442, 0x438, 0x43a, ' ', '-', 0x442, 0x43e, 0x43a}, P_TIKTOK, 0}, /* тик -ток */
    {{0x442, 0x438, 0x43a, ' ', 0x442, 0x43e, 0x43a}, P_TIKTOK, 0},      /* тик ток */
    {{0x442, 0x438, 0x43a, '-', 0x442, 0x43e, 0x43a}, P_TIKTOK, 0},      /* тик-ток */
    {{0x442, 0x438, 0x43a, 0x442, 0x43e, 0x43a}, P_TIKTOK, 0},           /* тикток */
    {{'i', 'n', 's', 't', 'a', 'g', 'r'}, P_INSTAGRAM, 0},
    {{'i', 'n', 's', 't', 'a'}, P_INSTAGRAM, 0},
    {{'i', 'n', 's', 't'}, P_INSTAGRAM, 1},
    {{'i', 'g'}, P_INSTAGRAM, 1},
    {{0x438, 0x43d, 0x441, 0x442, 0x430, 0x433, 0x440}, P_INSTAGRAM, 0}, /* инстагр */
    {{0x438, 0x43d, 0x441, 0x442, 0x430}, P_INSTAGRAM, 0},               /* инста */
    {{0x438, 0x43d, 0x441, 0x442}, P_INSTAGRAM, 1},                      /* инст */
    {{0x432, 0x43a, 0x43e, 0x43d, 0x442, 0x430, 0x43a, 0x442, 0x435}, P_VK, 0}, /* вконтакте */
    {{0x432, 0x43a}, P_VK, 1},                                                   /* вк */
    {{0x432, 0x430, 0x442, 0x441, 0x430, 0x43f}, P_WHATSAPP, 0},                 /* ватсап */
    {{0x432, 0x43e, 0x442, 0x441, 0x430, 0x43f}, P_WHATSAPP, 0},                 /* вотсап */
    {{0x432, 0x430, 0x446, 0x430, 0x43f}, P_WHATSAPP, 0},                        /* вацап */
    {{'v', 'k', 'o', 'n', 't', 'a', 'k', 't', 'e'}, P_VK, 0},
    {{'v', 'k'}, P_VK, 1},
    {{0x43e, 0x434, 0x43d, 0x43e, 0x43a, 0x43b, 0x430, 0x441, 0x441, 0x43d, 0x438, 0x43a}, P_OK, 0},
    {{'o', 'd', 'n', 'o', 'k', 'l', 'a', 's', 's', 'n', 'i', 'k', 'i'}, P_OK, 0},
    {{'f', 'a', 'c', 'e', 'b', 'o', 'o', 'k'}, P_FACEBOOK, 0},
    {{'f', 'b'}, P_FACEBOOK, 1},
    {{0x444, 0x435, 0x439, 0x441, 0x431, 0x443, 0x43a}, P_FACEBOOK, 0}, /* фейсбук */
    {{0x444, 0x431}, P_FACEBOOK, 1},                                    /* фб */
    {{'w', 'h', 'a', 't', 's', ' ', 'a', 'p', 'p'}, P_WHATSAPP, 0},
    {{'w', 'h', 'a', 't', 's', 'a', 'p', 'p'}, P_WHATSAPP, 0},
    {{0x443, 0x430, 0x442, 0x441, 0x430, 0x43f}, P_WHATSAPP, 0}, /* уатсап */
};

typedef struct {
    Py_ssize_t start;
    int platform;
} mention_t;

/* PLATFORM_WORDS is grouped by first letter (t т i и в v о o f ф w у), in the regex's
 * order within a group: the words a position can start are one group. */
static struct {
    ch_t first;
    int begin, end;
} platform_groups[16];
static int platform_group_count;
/* The group a lower-case character starts, -1 for none: ASCII, then а-я (U+0430..044F). */
static signed char platform_group_ascii[128], platform_group_cyrillic[32];

static int platform_group_of(ch_t c)
{
    if (c < 128)
        return platform_group_ascii[c];
    if (c >= 0x430 && c <= 0x44F)
        return platform_group_cyrillic[c - 0x430];
    return -1;
}

static int platform_groups_init(void)
{
    int count = (int)(sizeof PLATFORM_WORDS / sizeof PLATFORM_WORDS[0]);
    memset(platform_group_ascii, -1, sizeof platform_group_ascii);
    memset(platform_group_cyrillic, -1, sizeof platform_group_cyrillic);
    for (int w = 0; w < count; w++) {
        ch_t first = PLATFORM_WORDS[w].text[0];
        if (platform_group_count && platform_groups[platform_group_count - 1].first == first) {
            platform_groups[platform_group_count - 1].end = w + 1;
            continue;
        }
        for (int g = 0; g < platform_group_count; g++) {
            if (platform_groups[g].first == first) {
                PyErr_SetString(PyExc_SystemError, "PLATFORM_WORDS is not grouped by letter");
                return -1;
            }
        }
        if (platform_group_count == (int)(sizeof platform_groups / sizeof platform_groups[0])) {
            PyErr_SetString(PyExc_SystemError, "PLATFORM_WORDS has too many first letters");
            return -1;
        }
        if (first < 128) {
            platform_group_ascii[first] = (signed char)platform_group_count;
        } else if (first >= 0x430 && first <= 0x44F) {
            platform_group_cyrillic[first - 0x430] = (signed char)platform_group_count;
        } else {
            PyErr_SetString(PyExc_SystemError, "PLATFORM_WORDS: a first letter out of the tables");
            return -1;
        }
        platform_groups[platform_group_count].first = first;
        platform_groups[platform_group_count].begin = w;
        platform_groups[platform_group_count].end = w + 1;
        platform_group_count++;
    }
    return 0;
}

/* social.platform_mentions over the lower-cased text; at most max mentions kept. */
static Py_ssize_t platform_mentions(const ch_t *low, Py_ssize_t n, mention_t *out,
                                    Py_ssize_t max)
{
    Py_ssize_t count = 0;
    for (Py_ssize_t i = 0; i < n;) {
        const platform_word_t *found = NULL;
        int g = platform_group_of(low[i]);
        for (int w = g < 0 ? 0 : platform_groups[g].begin; g >= 0 && w < platform_groups[g].end;
             w++) {
            if (literal_at(low, n, i, PLATFORM_WORDS[w].text)) {
                found = &PLATFORM_WORDS[w];
                break;
            }
        }
        if (found == NULL) {
            i++;
            continue;
        }
        Py_ssize_t end = i + literal_len(found->text);
        int counts = !(i > 0 && Py_UNICODE_ISALNUM(low[i - 1])) &&
                     !(found->short_word && end < n && Py_UNICODE_ISALNUM(low[end]));
        if (counts) {
            if (count == max)
                return -1;
            out[count].start = i;
            out[count].platform = found->platform;
            count++;
        }
        i = end;
    }
    return count;
}

/* social.platform_for: the nearest mention 40 characters after to 80 before, else the
 * only network named; -1 when undecidable. */
static int platform_for(Py_ssize_t position, const mention_t *mentions, Py_ssize_t count)
{
    Py_ssize_t best = -1;
    int platform = -1;
    unsigned named = 0;
    for (Py_ssize_t m = 0; m < count; m++) {
        Py_ssize_t distance = position - mentions[m].start;
        named |= 1u << mentions[m].platform;
        if (distance >= -40 && distance <= 80) {
            Py_ssize_t key = distance < 0 ? -distance : distance;
            if (best < 0 || key < best) {
                best = key;
                platform = mentions[m].platform;
            }
        }
    }
    if (platform >= 0)
        return platform;
    if (named && (named & (named - 1)) == 0) {
        for (int p = 0; p < P_COUNT; p++) {
            if (named == 1u << p)
                return p;
        }
    }
    return -1;
}

static inline int handle_char(ch_t c) { return is_ascii_alnum(c) || c == '_'; }

/* _HANDLE: @(?<![A-Za-z0-9_.@/]@)([A-Za-z0-9_](?:[A-Za-z0-9_]|\.(?=[A-Za-z0-9_])){0,31})
 * the end of the handle after the at-sign at p, or -1. */
static Py_ssize_t handle_end(const ch_t *s, Py_ssize_t n, Py_ssize_t p)
{
    if (p > 0 && (handle_char(s[p - 1]) || s[p - 1] == '.' || s[p - 1] == '@' || s[p - 1] == '/'))
        return -1;
    Py_ssize_t i = p + 1;
    if (!(i < n && handle_char(s[i])))
        return -1;
    i++;
    for (int more = 0; more < 31; more++) {
        if (i < n && handle_char(s[i]))
            i++;
        else if (i + 1 < n && s[i] == '.' && handle_char(s[i + 1]))
            i++;
        else
            break;
    }
    return i;
}


/* social.handle_ok for a handle as the scan gives it (ASCII, lower-cased), by platform:
 * social._RULES translated, then social._RESERVED. */
static inline int handle_word_char(char c) /* [a-z0-9_] */
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

static int handle_rule(int platform, const char *h, Py_ssize_t n)
{
    int middle_dots = platform != P_TELEGRAM; /* [a-z0-9_.] inside */
    Py_ssize_t min, max;
    switch (platform) {
    case P_TELEGRAM: /* [a-z][a-z0-9_]{3,31} */
        min = 4, max = 32;
        if (n < 1 || !(h[0] >= 'a' && h[0] <= 'z'))
            return 0;
        break;
    case P_INSTAGRAM: /* [a-z0-9_](?:[a-z0-9_]|\.(?!\.)){0,28}[a-z0-9_]|[a-z0-9_] */
        min = 1, max = 30;
        for (Py_ssize_t i = 0; i + 1 < n; i++) {
            if (h[i] == '.' && h[i + 1] == '.')
                return 0;
        }
        break;
    case P_TIKTOK: /* [a-z0-9_][a-z0-9_.]{0,22}[a-z0-9_] */
        min = 2, max = 24;
        break;
    case P_VK: /* [a-z0-9_][a-z0-9_.]{1,30}[a-z0-9_] */
        min = 3, max = 32;
        break;
    case P_OK: /* [a-z0-9_][a-z0-9_.]{1,62}[a-z0-9_] */
        min = 3, max = 64;
        break;
    case P_FACEBOOK: /* [a-z0-9][a-z0-9.]{3,48}[a-z0-9] */
        min = 5, max = 50;
        for (Py_ssize_t i = 0; i < n; i++) {
            if (h[i] == '_')
                return 0;
        }
        break;
    default: /* WhatsApp has no user names */
        return 0;
    }
    if (n < min || n > max || !handle_word_char(h[0]) || !handle_word_char(h[n - 1]))
        return 0;
    for (Py_ssize_t i = 1; i < n - 1; i++) {
        if (!(handle_word_char(h[i]) || (middle_dots && h[i] == '.')))
            return 0;
    }
    return 1;
}

/* social.handle_ok: the network's rule, and not one of its reserved names (account is
 * handle as a str). 1, 0, or -1 on error. */
static int handle_accepted(int platform, const char *handle, Py_ssize_t n, PyObject *account)
{
    if (!handle_rule(platform, handle, n))
        return 0;
    int reserved = PySet_Contains(PyTuple_GET_ITEM(handle_reserved, platform), account);
    return reserved < 0 ? -1 : !reserved;
}

#define MAX_MENTIONS 256

/* 1 done, 0 when the text has too many mentions for the table (left to Python). */
static int handle_hits(scan_t *st)
{
    const ch_t *s = st->s;
    Py_ssize_t n = st->n;
    mention_t mentions[MAX_MENTIONS];
    Py_ssize_t count = -2; /* not yet looked for */
    ch_t *low = NULL;
    int rc = 1;
    for (Py_ssize_t p = 0; p < n; p++) {
        if (s[p] != '@')
            continue;
        Py_ssize_t end = handle_end(s, n, p);
        if (end < 0)
            continue;
        if (count == -2) {
            low = PyMem_Malloc(sizeof(ch_t) * (n ? n : 1));
            if (low == NULL) {
                PyErr_NoMemory();
                return -1;
            }
            for (Py_ssize_t i = 0; i < n; i++)
                low[i] = to_lower(s[i]);
            count = platform_mentions(low, n, mentions, MAX_MENTIONS);
            if (count < 0) {
                rc = 0;
                break;
            }
        }
        int platform = platform_for(p, mentions, count);
        if (platform < 0 || platform == P_WHATSAPP)
            continue;
        char handle[33];
        for (Py_ssize_t i = p + 1; i < end; i++)
            handle[i - p - 1] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
        PyObject *value = PyUnicode_FromStringAndSize(handle, end - p - 1);
        if (value == NULL) {
            rc = -1;
            break;
        }
        PyObject *kind = PyTuple_GET_ITEM(platform_kinds, platform);
        int good = handle_accepted(platform, handle, end - p - 1, value);
        if (good > 0)
            good = append_to(st->out, handle_priority, p, end, kind, value) < 0 ? -1 : 1;
        Py_DECREF(value);
        if (good < 0) {
            rc = -1;
            break;
        }
    }
    PyMem_Free(low);
    return rc;
}

#define MAX_HANDLE 64 /* the longest name any network's rule allows (OK's) */

/* --- links, e-mail addresses and hosts: their normal forms (web.py), compiled --- */

/* urllib.parse's scheme_chars */
static inline int scheme_char(char c)
{
    return is_ascii_alnum((ch_t)c) || c == '+' || c == '-' || c == '.';
}

static Py_ssize_t find_ch(const ch_t *s, Py_ssize_t from, Py_ssize_t to, ch_t c)
{
    for (Py_ssize_t i = from; i < to; i++) {
        if (s[i] == c)
            return i;
    }
    return -1;
}

/* --- the public suffix list: web.host_ok, on a copy of web._suffix_trie() --- */

/* The trie's edges in one open-addressing table keyed by (parent node, label); its
 * nodes are numbers, the root 0. Built once by bind() from the Python trie, whose labels
 * are already written as in a host (an exception rule's with its "!"). */
typedef struct {
    uint32_t parent, child; /* child 0: an empty slot (the root is nobody's child) */
    uint32_t label, length; /* the label in suffix_labels */
} suffix_edge_t;

static suffix_edge_t *suffix_edges;
static size_t suffix_slots; /* a power of two */
static char *suffix_labels;
static size_t suffix_labels_used, suffix_labels_size;
static unsigned char *suffix_end;      /* per node: a rule ends here */
static unsigned char *suffix_wildcard; /* per node: it has a "*" child */
static uint32_t suffix_nodes, suffix_nodes_size;

static size_t suffix_hash(uint32_t parent, const char *label, Py_ssize_t n)
{
    uint64_t h = 1469598103934665603ULL ^ parent;
    for (Py_ssize_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)label[i]) * 1099511628211ULL;
    return (size_t)(h ^ (h >> 29));
}

/* The child of parent by label, 0 when none. */
static uint32_t suffix_child(uint32_t parent, const char *label, Py_ssize_t n)
{
    for (size_t i = suffix_hash(parent, label, n) & (suffix_slots - 1);;
         i = (i + 1) & (suffix_slots - 1)) {
        const suffix_edge_t *edge = &suffix_edges[i];
        if (edge->child == 0)
            return 0;
        if (edge->parent == parent && edge->length == (uint32_t)n &&
            memcmp(suffix_labels + edge->label, label, (size_t)n) == 0)
            return edge->child;
    }
}

static int suffix_grow(void **array, size_t size)
{
    void *grown = PyMem_Realloc(*array, size);
    if (grown == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    *array = grown;
    return 0;
}

static int suffix_add_edge(uint32_t parent, uint32_t child, const char *label, Py_ssize_t n)
{
    if (suffix_labels_used + (size_t)n > suffix_labels_size) {
        size_t size = 2 * (suffix_labels_used + (size_t)n);
        if (suffix_grow((void **)&suffix_labels, size) < 0)
            return -1;
        suffix_labels_size = size;
    }
    memcpy(suffix_labels + suffix_labels_used, label, (size_t)n);
    size_t i = suffix_hash(parent, label, n) & (suffix_slots - 1);
    while (suffix_edges[i].child != 0)
        i = (i + 1) & (suffix_slots - 1);
    suffix_edges[i] = (suffix_edge_t){parent, child, (uint32_t)suffix_labels_used, (uint32_t)n};
    suffix_labels_used += (size_t)n;
    return 0;
}

static Py_ssize_t suffix_count_nodes(PyObject *node)
{
    PyObject *children = PyObject_GetAttrString(node, "children");
    if (children == NULL || !PyDict_Check(children)) {
        if (children != NULL)
            PyErr_SetString(PyExc_TypeError, "a suffix node's children must be a dict");
        Py_XDECREF(children);
        return -1;
    }
    Py_ssize_t count = 1, pos = 0;
    PyObject *label, *child;
    while (PyDict_Next(children, &pos, &label, &child)) {
        Py_ssize_t below = suffix_count_nodes(child);
        if (below < 0) {
            Py_DECREF(children);
            return -1;
        }
        count += below;
    }
    Py_DECREF(children);
    return count;
}

/* Number node (its number is given) and everything below it. */
static int suffix_copy(PyObject *node, uint32_t number)
{
    PyObject *end = PyObject_GetAttrString(node, "end");
    if (end == NULL)
        return -1;
    int is_end = PyObject_IsTrue(end);
    Py_DECREF(end);
    if (is_end < 0)
        return -1;
    suffix_end[number] = (unsigned char)is_end;
    PyObject *children = PyObject_GetAttrString(node, "children");
    if (children == NULL)
        return -1;
    Py_ssize_t pos = 0;
    PyObject *label, *child;
    int rc = 0;
    while (rc == 0 && PyDict_Next(children, &pos, &label, &child)) {
        Py_ssize_t n;
        const char *text = PyUnicode_AsUTF8AndSize(label, &n);
        uint32_t child_number = suffix_nodes++;
        if (text == NULL)
            rc = -1;
        else if (n == 1 && text[0] == '*')
            suffix_wildcard[number] = 1;
        if (rc == 0)
            rc = suffix_add_edge(number, child_number, text, n);
        if (rc == 0)
            rc = suffix_copy(child, child_number);
    }
    Py_DECREF(children);
    return rc;
}

static void suffix_free(void)
{
    PyMem_Free(suffix_edges);
    PyMem_Free(suffix_labels);
    PyMem_Free(suffix_end);
    PyMem_Free(suffix_wildcard);
    suffix_edges = NULL, suffix_labels = NULL, suffix_end = NULL, suffix_wildcard = NULL;
    suffix_slots = suffix_labels_used = suffix_labels_size = 0;
    suffix_nodes = suffix_nodes_size = 0;
}

/* pieces["suffix_trie"]: web._suffix_trie(), copied */
static int bound_suffix_trie(PyObject *pieces)
{
    PyObject *root = PyDict_GetItemString(pieces, "suffix_trie");
    if (root == NULL) {
        PyErr_SetString(PyExc_KeyError, "bind: suffix_trie");
        return -1;
    }
    suffix_free();
    Py_ssize_t count = suffix_count_nodes(root);
    if (count < 0)
        return -1;
    suffix_slots = 1024;
    while (suffix_slots < 2 * (size_t)count)
        suffix_slots *= 2;
    suffix_edges = PyMem_Calloc(suffix_slots, sizeof(suffix_edge_t));
    suffix_end = PyMem_Calloc((size_t)count, 1);
    suffix_wildcard = PyMem_Calloc((size_t)count, 1);
    if (suffix_edges == NULL || suffix_end == NULL || suffix_wildcard == NULL) {
        suffix_free();
        PyErr_NoMemory();
        return -1;
    }
    suffix_nodes_size = (uint32_t)count;
    suffix_nodes = 1;
    if (suffix_copy(root, 0) < 0) {
        suffix_free();
        return -1;
    }
    return 0;
}

/* web._public_suffix_start, then host_ok's test of it: the labels of host[0:n] walked
 * from the last; 1 when the public suffix found has a name of its own before it. */
static int public_suffix_named(const char *host, Py_ssize_t n)
{
    Py_ssize_t index = 1; /* the number of labels, then the position of the last taken */
    for (Py_ssize_t i = 0; i < n; i++)
        index += host[i] == '.';
    uint32_t node = 0;
    Py_ssize_t start = -1, label_end = n;
    while (index > 0) {
        Py_ssize_t label_start = label_end;
        while (label_start > 0 && host[label_start - 1] != '.')
            label_start--;
        Py_ssize_t length = label_end - label_start;
        uint32_t child = suffix_child(node, host + label_start, length);
        if (child != 0) {
            index--;
            node = child;
            if (suffix_end[node])
                start = index;
            label_end = label_start - 1;
            continue;
        }
        if (suffix_wildcard[node]) { /* the label is part of the suffix, unless "!label" */
            char exception[64];
            int excepted = 0;
            if (length < 63) {
                exception[0] = '!';
                memcpy(exception + 1, host + label_start, (size_t)length);
                excepted = suffix_child(node, exception, length + 1) != 0;
            }
            return (excepted ? index : index - 1) > 0;
        }
        break;
    }
    return start > 0;
}

static inline int host_label_char(char c) /* [a-z0-9-] */
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

/* web.host_ok of host[0:n] (lower-case ASCII). */
static int host_ok(const char *host, Py_ssize_t n)
{
    if (n > 253 || memchr(host, '.', (size_t)n) == NULL)
        return 0;
    Py_ssize_t label_start = 0;
    int all_digits = 1;
    for (Py_ssize_t i = 0; i <= n; i++) { /* _LABELS: (?!-)[a-z0-9-]{1,63}(?<!-) each */
        if (i < n && host[i] != '.') {
            if (!host_label_char(host[i]))
                return 0;
            all_digits &= is_ascii_digit((ch_t)host[i]);
            continue;
        }
        Py_ssize_t length = i - label_start;
        if (length < 1 || length > 63 || host[label_start] == '-' || host[i - 1] == '-')
            return 0;
        if (i < n) {
            label_start = i + 1;
            all_digits = 1;
        }
    }
    if (all_digits) /* labels[-1].isdigit() */
        return 0;
    return public_suffix_named(host, n);
}

/* --- refanging and IDN hosts: web.refang and web._idna --- */

/* \s?[\[({]\s*(?:mark|word)\s*[\])}]\s? ignoring case (web._DEFANG's first two) at t[i]:
 * the end of its match, -1 without one. */
static Py_ssize_t defanged_at(const ch_t *t, Py_ssize_t n, Py_ssize_t i, ch_t mark,
                              const char *word)
{
    Py_ssize_t k = i < n && is_space(t[i]) ? i + 1 : i;
    if (!(k < n && open_bracket(t[k])))
        return -1;
    k++;
    while (k < n && is_space(t[k]))
        k++;
    Py_ssize_t w = (Py_ssize_t)strlen(word);
    if (k < n && t[k] == mark) {
        k++;
    } else {
        for (Py_ssize_t j = 0; j < w; j++) {
            if (!(k + j < n && fold(t[k + j]) == (ch_t)word[j]))
                return -1;
        }
        k += w;
    }
    while (k < n && is_space(t[k]))
        k++;
    if (!(k < n && close_bracket(t[k])))
        return -1;
    k++;
    return k < n && is_space(t[k]) ? k + 1 : k;
}

/* one re.sub of web._DEFANG over t[0:n] in place (each match is longer than what
 * replaces it): pattern 0 and 1 the dot and the at-sign, 2 "[:]|(:)", 3 "[/]"; the new
 * length. */
static Py_ssize_t defang_pass(ch_t *t, Py_ssize_t n, int pattern)
{
    static const ch_t marks[2] = {'.', '@'};
    static const char *const words[2] = {"dot", "at"};
    static const ch_t replacements[4] = {'.', '@', ':', '/'};
    Py_ssize_t w = 0;
    for (Py_ssize_t i = 0; i < n;) {
        Py_ssize_t end = -1;
        if (pattern < 2) {
            end = defanged_at(t, n, i, marks[pattern], words[pattern]);
        } else if (i + 2 < n) {
            ch_t middle = pattern == 2 ? ':' : '/';
            int square = t[i] == '[' && t[i + 2] == ']';
            int round = pattern == 2 && t[i] == '(' && t[i + 2] == ')';
            end = (square || round) && t[i + 1] == middle ? i + 3 : -1;
        }
        if (end < 0) {
            t[w++] = t[i++];
        } else {
            t[w++] = replacements[pattern];
            i = end;
        }
    }
    return w;
}

/* web._SCHEME_FANG, ^(?:hxxp|hxtp|htxp|hxxps|h\*\*p|fxp)(s?)(?=:) ignoring case: the
 * length of its match at the start of t[0:n], 0 without one. */
static Py_ssize_t scheme_fang(const ch_t *t, Py_ssize_t n)
{
    static const char *const alternatives[] = {"hxxp", "hxtp", "htxp", "hxxps", "h**p", "fxp"};
    for (size_t a = 0; a < sizeof alternatives / sizeof alternatives[0]; a++) {
        Py_ssize_t k = (Py_ssize_t)strlen(alternatives[a]);
        Py_ssize_t i = 0;
        while (i < k && i < n && fold(t[i]) == (ch_t)alternatives[a][i])
            i++;
        if (i < k)
            continue;
        if (k + 1 < n && (t[k] == 's' || t[k] == 'S') && t[k + 1] == ':')
            return k + 1;
        if (k < n && t[k] == ':')
            return k;
    }
    return 0;
}

/* web.refang(s[start:end].strip()) into out (room for end - start characters): its
 * length. */
static Py_ssize_t refang_into(const ch_t *s, Py_ssize_t start, Py_ssize_t end, ch_t *out)
{
    while (start < end && is_space(s[start]))
        start++;
    while (end > start && is_space(s[end - 1]))
        end--;
    Py_ssize_t n = end - start;
    int bracketed = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        out[i] = s[start + i];
        bracketed |= open_bracket(out[i]);
    }
    for (int pattern = 0; bracketed && pattern < 4; pattern++)
        n = defang_pass(out, n, pattern);
    Py_ssize_t fang = scheme_fang(out, n);
    if (fang > 0) {
        int secure = out[fang - 1] == 's' || out[fang - 1] == 'S';
        const char *scheme = out[0] == 'f' || out[0] == 'F' ? (secure ? "ftps" : "ftp")
                                                            : (secure ? "https" : "http");
        Py_ssize_t k = (Py_ssize_t)strlen(scheme); /* never longer than the fang */
        memmove(out + k, out + fang, sizeof(ch_t) * (size_t)(n - fang));
        for (Py_ssize_t i = 0; i < k; i++)
            out[i] = (ch_t)scheme[i];
        n += k - fang;
    }
    return n;
}

/* Punycode (RFC 3492, the stdlib's "punycode" codec) of in[0:n] into out[0:cap]: its
 * length, -1 when it needs more than cap characters. */
static Py_ssize_t punycode_into(const ch_t *in, Py_ssize_t n, char *out, Py_ssize_t cap)
{
    static const char digits[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    Py_ssize_t len = 0, basic = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        if (in[i] < 128) {
            if (len == cap)
                return -1;
            out[len++] = (char)in[i];
            basic++;
        }
    }
    if (basic > 0) {
        if (len == cap)
            return -1;
        out[len++] = '-';
    }
    unsigned long code = 128, delta = 0, bias = 72;
    for (Py_ssize_t handled = basic; handled < n;) {
        unsigned long next = 0x110000;
        for (Py_ssize_t i = 0; i < n; i++) {
            if (in[i] >= code && in[i] < next)
                next = in[i];
        }
        delta += (next - code) * (unsigned long)(handled + 1);
        code = next;
        for (Py_ssize_t i = 0; i < n; i++) {
            if (in[i] < code)
                delta++;
            if (in[i] != code)
                continue;
            unsigned long q = delta;
            for (unsigned long k = 36;; k += 36) {
                unsigned long t = k <= bias ? 1 : k - bias >= 26 ? 26 : k - bias;
                if (q < t)
                    break;
                if (len == cap)
                    return -1;
                out[len++] = digits[t + (q - t) % (36 - t)];
                q = (q - t) / (36 - t);
            }
            if (len == cap)
                return -1;
            out[len++] = digits[q];
            /* adapt(delta, first, numchars) */
            delta = handled == basic ? delta / 700 : delta / 2;
            delta += delta / (unsigned long)(handled + 1);
            unsigned long divisions = 0;
            while (delta > 455) {
                delta /= 35;
                divisions += 36;
            }
            bias = divisions + 36 * delta / (delta + 38);
            delta = 0;
            handled++;
        }
        delta++;
        code++;
    }
    return len;
}

/* [а-яё0-9-] */
static inline int plain_cyrillic_char(ch_t c)
{
    return (c >= 0x430 && c <= 0x44F) || c == 0x451 || is_ascii_digit(c) || c == '-';
}

/* web._idna of t[a:b] into out (at least 8 * (b - a) + 8 characters): lower-cased, no
 * trailing dot, each non-ASCII label (plain Cyrillic, web._plain_cyrillic_ace) as "xn--"
 * and its punycode; its length, -1 where the Python decides (the idna codec's nameprep
 * for any other label). */
static Py_ssize_t idna_into(const ch_t *t, Py_ssize_t a, Py_ssize_t b, char *out)
{
    ch_t low[256];
    Py_ssize_t n = b - a;
    int ascii = 1;
    while (n > 0 && t[a + n - 1] == '.')
        n--;
    for (Py_ssize_t i = 0; i < n; i++)
        ascii &= t[a + i] < 128;
    if (ascii) {
        for (Py_ssize_t i = 0; i < n; i++)
            out[i] = ascii_lower((char)t[a + i]);
        return n;
    }
    Py_ssize_t len = 0;
    for (Py_ssize_t start = 0; start <= n;) {
        Py_ssize_t end = start;
        int label_ascii = 1, plain = 1;
        while (end < n && t[a + end] != '.') {
            ch_t c = to_lower(t[a + end]);
            if (end - start < (Py_ssize_t)(sizeof low / sizeof low[0]))
                low[end - start] = c;
            label_ascii &= c < 128;
            plain &= plain_cyrillic_char(c);
            end++;
        }
        Py_ssize_t size = end - start;
        if (label_ascii && size > 0 && size < 64) {
            for (Py_ssize_t i = 0; i < size; i++)
                out[len + i] = (char)low[i];
            len += size;
        } else if (!label_ascii && plain && size < 64) {
            memcpy(out + len, "xn--", 4);
            Py_ssize_t code = punycode_into(low, size, out + len + 4, 59);
            if (code < 0)
                return -1; /* "xn--" and its punycode: 64 or more */
            len += 4 + code;
        } else {
            return -1;
        }
        if (end < n)
            out[len++] = '.';
        start = end + 1;
    }
    return len;
}

/* Characters a compiled link check takes: ASCII, and Cyrillic whose lower case and
 * compatibility normal form (urlsplit's _checknetloc) are plain. */
static int link_chars(const ch_t *s, Py_ssize_t start, Py_ssize_t end)
{
    for (Py_ssize_t i = start; i < end; i++) {
        ch_t c = s[i];
        if (!(c < 128 || (c >= 0x410 && c <= 0x44F) || c == 0x401 || c == 0x451))
            return 0;
    }
    return 1;
}

/* s[start:end] refanged into a new buffer (the text at *buffer + 8, with room before it
 * for "https://" and after it for as much again); its length, -2 when s[start:end] holds
 * a character the compiled link checks leave to Python (link_chars), -1 on error. */
static Py_ssize_t refanged(const ch_t *s, Py_ssize_t start, Py_ssize_t end, ch_t **buffer)
{
    if (!link_chars(s, start, end))
        return -2;
    *buffer = PyMem_Malloc(sizeof(ch_t) * (size_t)(2 * (end - start) + 32));
    if (*buffer == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    return refang_into(s, start, end, *buffer + 8);
}

/* scanner._domain_value (web.normalize_domain in free text). */
static int domain_check(const ch_t *s, Py_ssize_t start, Py_ssize_t end, PyObject **found)
{
    ch_t *buffer;
    Py_ssize_t n = refanged(s, start, end, &buffer);
    if (n < 0)
        return n == -2 ? 0 : -1;
    const ch_t *t = buffer + 8;
    ch_t *low = buffer + 8 + n; /* scratch after the text */
    /* _unicode_tld: the last label, lower-cased; a file name's extension refuses, and so
     * does a Cyrillic one not on CYRILLIC_SUFFIXES */
    Py_ssize_t e = n, tld;
    while (e > 0 && t[e - 1] == '.')
        e--;
    for (tld = e; tld > 0 && t[tld - 1] != '.';)
        tld--;
    int ascii = 1;
    for (Py_ssize_t i = tld; i < e; i++) {
        low[i - tld] = to_lower(t[i]);
        ascii &= low[i - tld] < 128;
    }
    PyObject *label = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, low, e - tld);
    int listed = label == NULL ? -1 : PySet_Contains(ascii ? file_extensions : cyrillic_suffixes, label);
    Py_XDECREF(label);
    int good = listed < 0 ? -1 : ascii ? !listed : listed;
    char *host = good == 1 ? PyMem_Malloc((size_t)(8 * n + 8)) : NULL;
    Py_ssize_t hn = 0, from = 0;
    if (good == 1) {
        if (host == NULL) {
            PyErr_NoMemory();
            good = -1;
        } else {
            hn = idna_into(t, 0, n, host);
            good = hn < 0 ? -2 : host_ok(host, hn);
        }
    }
    if (good == 1 && hn >= 4 && memcmp(host, "www.", 4) == 0 && host_ok(host + 4, hn - 4))
        from = 4;
    if (good >= 0)
        *found = good ? PyUnicode_FromStringAndSize(host + from, hn - from) : Py_NewRef(Py_None);
    PyMem_Free(host);
    PyMem_Free(buffer);
    if (good == -2)
        return 0; /* the idna codec decides the host */
    return good < 0 || *found == NULL ? -1 : 1;
}

/* web._EMAIL's local part: [a-z0-9!#$%&'*+/=?^_`{|}~.-] ignoring case */
static int local_char(ch_t c)
{
    return c < 128 && (is_ascii_alnum(c) || (c != 0 && strchr("!#$%&'*+/=?^_`{|}~.-", (int)c) != NULL));
}

/* scanner._email_value (web.normalize_email). */
static int email_check(const ch_t *s, Py_ssize_t start, Py_ssize_t end, PyObject **found)
{
    ch_t *buffer;
    Py_ssize_t n = refanged(s, start, end, &buffer);
    if (n < 0)
        return n == -2 ? 0 : -1;
    const ch_t *t = buffer + 8;
    Py_ssize_t at = 0;
    while (at < n && t[at] != '@')
        at++;
    int matched = at < n && at >= 1 && at <= 64 && at + 1 < n; /* _EMAIL */
    for (Py_ssize_t i = 0; matched && i < at; i++)
        matched = local_char(t[i]);
    for (Py_ssize_t i = at + 1; matched && i < n; i++)
        matched = t[i] != '@' && !is_space(t[i]);
    if (matched) /* the local part's dots */
        matched = t[0] != '.' && t[at - 1] != '.';
    for (Py_ssize_t i = 0; matched && i + 1 < at; i++)
        matched = !(t[i] == '.' && t[i + 1] == '.');
    char *value = matched ? PyMem_Malloc((size_t)(8 * n + 8)) : NULL;
    int good = matched ? 1 : 0;
    if (matched && value == NULL) {
        PyErr_NoMemory();
        good = -1;
    }
    Py_ssize_t hn = 0;
    if (good == 1) {
        for (Py_ssize_t i = 0; i <= at; i++)
            value[i] = ascii_lower((char)t[i]);
        hn = idna_into(t, at + 1, n, value + at + 1);
        good = hn < 0 ? -2 : host_ok(value + at + 1, hn);
    }
    if (good >= 0)
        *found = good ? PyUnicode_FromStringAndSize(value, at + 1 + hn) : Py_NewRef(Py_None);
    PyMem_Free(value);
    PyMem_Free(buffer);
    if (good == -2)
        return 0; /* the idna codec decides the host */
    return good < 0 || *found == NULL ? -1 : 1;
}

/* social.profile_from_url for the link value (scheme://host[:port]path[?query][#fragment],
 * path non-empty, host lower-case) once social.may_be_profile let it through, and
 * _url_value's choice: (network, account), or ("url", value). NULL with no error set
 * where the Python decides (WhatsApp's numbers, Facebook's profile.php?id=). */
static PyObject *profile_or_link(PyObject *value, const char *v, Py_ssize_t host_start,
                                 Py_ssize_t host_end, Py_ssize_t path_start, Py_ssize_t path_end)
{
    const char *host = v + host_start;
    Py_ssize_t host_len = host_end - host_start;
    if (host_len >= 4 && memcmp(host, "www.", 4) == 0)
        host += 4, host_len -= 4;
    int platform = -1;
    for (int h = 0; h < profile_host_count; h++) {
        if ((Py_ssize_t)strlen(profile_hosts[h].host) == host_len &&
            memcmp(profile_hosts[h].host, host, (size_t)host_len) == 0) {
            platform = profile_hosts[h].platform;
            break;
        }
    }
    if (platform < 0)
        return PyTuple_Pack(2, kind_url, value);
    if (platform == P_WHATSAPP)
        return NULL;
    /* [s for s in path.split("/") if s]: the first two, and how many */
    Py_ssize_t seg[2][2], count = 0;
    for (Py_ssize_t i = path_start; i < path_end;) {
        if (v[i] == '/') {
            i++;
            continue;
        }
        Py_ssize_t j = i;
        while (j < path_end && v[j] != '/')
            j++;
        if (count < 2)
            seg[count][0] = i, seg[count][1] = j;
        count++;
        i = j;
    }
    if (platform == P_TELEGRAM && count == 2 && seg[0][1] - seg[0][0] == 1 &&
        ascii_lower(v[seg[0][0]]) == 's') {
        seg[0][0] = seg[1][0], seg[0][1] = seg[1][1];
        count = 1;
    }
    if (platform == P_OK && count == 2 && seg[0][1] - seg[0][0] == 7 &&
        ascii_lower_equal(v + seg[0][0], "profile", 7)) {
        for (Py_ssize_t i = seg[1][0]; i < seg[1][1]; i++) {
            if (!is_ascii_digit((ch_t)v[i]))
                return PyTuple_Pack(2, kind_url, value);
        }
        return pair(PyTuple_GET_ITEM(platform_kinds, platform),
                    PyUnicode_FromStringAndSize(v + seg[1][0], seg[1][1] - seg[1][0]));
    }
    if (platform == P_FACEBOOK && count == 1 && seg[0][1] - seg[0][0] == 11 &&
        memcmp(v + seg[0][0], "profile.php", 11) == 0)
        return NULL;
    if (count != 1)
        return PyTuple_Pack(2, kind_url, value);
    Py_ssize_t a = seg[0][0], b = seg[0][1];
    if (platform == P_TIKTOK) {
        if (v[a] != '@')
            return PyTuple_Pack(2, kind_url, value);
        a++;
    }
    char name[MAX_HANDLE + 1];
    if (b - a > MAX_HANDLE)
        return PyTuple_Pack(2, kind_url, value); /* longer than any network's rule allows */
    for (Py_ssize_t i = a; i < b; i++)
        name[i - a] = ascii_lower(v[i]);
    PyObject *account = PyUnicode_FromStringAndSize(name, b - a);
    if (account == NULL)
        return NULL;
    int accepted = handle_accepted(platform, name, b - a, account);
    if (accepted <= 0) {
        Py_DECREF(account);
        return accepted < 0 ? NULL : PyTuple_Pack(2, kind_url, value);
    }
    return pair(PyTuple_GET_ITEM(platform_kinds, platform), account);
}

/* social.may_be_profile: a known network's host somewhere in the authority. */
static int may_be_profile(const char *authority, Py_ssize_t n)
{
    for (int h = 0; h < profile_host_count; h++) {
        Py_ssize_t k = (Py_ssize_t)strlen(profile_hosts[h].host);
        for (Py_ssize_t i = 0; i + k <= n; i++) {
            if (memcmp(authority + i, profile_hosts[h].host, (size_t)k) == 0)
                return 1;
        }
    }
    return 0;
}

/* scanner._url_value(raw, region) (web.normalize_url, then the profile) for a link of
 * ASCII, Cyrillic only in its host name, without brackets or a user name, not a WhatsApp
 * link nor Facebook's profile.php. 1 with *found set ((kind, value), or None when the
 * link is refused), 0 when the link is left to the Python, -1 on error. */
static int url_check(const ch_t *s, Py_ssize_t start, Py_ssize_t end, PyObject **found)
{
    ch_t *buffer;
    Py_ssize_t len = refanged(s, start, end, &buffer);
    if (len < 0)
        return len == -2 ? 0 : -1;
    ch_t *t = buffer + 8;
    int has_scheme_mark = 0; /* "://" in text[:12] */
    for (Py_ssize_t i = 0; i + 3 <= len && i + 3 <= 12; i++)
        has_scheme_mark |= t[i] == ':' && t[i + 1] == '/' && t[i + 2] == '/';
    if (!has_scheme_mark) {
        t -= 8;
        for (int i = 0; i < 8; i++)
            t[i] = (ch_t) "https://"[i];
        len += 8;
    }
    /* urlsplit */
    Py_ssize_t scheme_end = 0, p = 0;
    Py_ssize_t colon = find_ch(t, 0, len, ':');
    if (colon > 0 && t[0] < 128 && is_ascii_alnum(t[0]) && !is_ascii_digit(t[0])) {
        Py_ssize_t i = 0;
        while (i < colon && t[i] < 128 && scheme_char((char)t[i]))
            i++;
        if (i == colon)
            scheme_end = colon, p = colon + 1;
    }
    Py_ssize_t net_start = p, net_end = p;
    if (len - p >= 2 && t[p] == '/' && t[p + 1] == '/') {
        net_start = net_end = p + 2;
        while (net_end < len && t[net_end] != '/' && t[net_end] != '?' && t[net_end] != '#')
            net_end++;
        p = net_end;
    }
    Py_ssize_t host_end = find_ch(t, net_start, net_end, ':');
    if (host_end < 0)
        host_end = net_end;
    /* what the Python decides: a user name, brackets (IPv6 and their checks), characters
     * urlsplit removes, Cyrillic outside the host name */
    int ours = find_ch(t, net_start, net_end, '@') < 0;
    for (Py_ssize_t i = 0; i < len && ours; i++)
        ours = t[i] > 0x20 && t[i] != 0x7F && t[i] != '[' && t[i] != ']' &&
               (t[i] < 128 || (i >= net_start && i < host_end));
    if (!ours) {
        PyMem_Free(buffer);
        return 0;
    }
    Py_ssize_t hash = find_ch(t, p, len, '#');
    Py_ssize_t url_end = hash < 0 ? len : hash;
    Py_ssize_t question = find_ch(t, p, url_end, '?');
    Py_ssize_t path_end = question < 0 ? url_end : question;
    /* the checks of normalize_url: port, scheme, host */
    static const struct {
        const char *name;
        long port;
    } schemes[] = {{"http", 80}, {"https", 443}, {"ftp", 21}};
    int scheme = -1;
    for (int k = 0; k < 3; k++) {
        Py_ssize_t k_len = (Py_ssize_t)strlen(schemes[k].name);
        int same = k_len == scheme_end;
        for (Py_ssize_t i = 0; same && i < k_len; i++)
            same = fold(t[i]) == (ch_t)schemes[k].name[i];
        if (same)
            scheme = k;
    }
    long port = -1;
    if (host_end + 1 < net_end) {
        port = 0;
        for (Py_ssize_t i = host_end + 1; i < net_end && port >= 0; i++) {
            port = is_ascii_digit(t[i]) ? port * 10 + (long)(t[i] - '0') : -2;
            if (port > 65535)
                port = -2;
        }
    }
    char *v = PyMem_Malloc((size_t)(8 * len + 64)); /* the value */
    if (v == NULL) {
        PyMem_Free(buffer);
        PyErr_NoMemory();
        return -1;
    }
    int rc = 1;
    *found = NULL;
    if (port == -2 || scheme < 0)
        goto refused;
    Py_ssize_t vlen = (Py_ssize_t)strlen(schemes[scheme].name);
    memcpy(v, schemes[scheme].name, (size_t)vlen);
    memcpy(v + vlen, "://", 3);
    vlen += 3;
    Py_ssize_t vhost = vlen;
    Py_ssize_t host_len = idna_into(t, net_start, host_end, v + vhost);
    if (host_len < 0) { /* the idna codec decides the host */
        rc = 0;
        goto done;
    }
    vlen += host_len;
    Py_ssize_t vhost_end = vlen;
    /* web.ip_normal of a host without a colon: a dotted quad as _IPV4_TEXT reads it */
    Py_ssize_t quad_end = host_end;
    unsigned octets[4];
    while (quad_end > net_start && t[quad_end - 1] == '.')
        quad_end--;
    if (!ipv4_octets(t, net_start, quad_end, octets) && !host_ok(v + vhost, host_len))
        goto refused;
    if (port >= 0 && port != schemes[scheme].port)
        vlen += sprintf(v + vlen, ":%ld", port);
    Py_ssize_t authority_end = vlen, vpath = vlen;
    for (Py_ssize_t i = p; i < path_end; i++)
        v[vlen++] = (char)t[i];
    if (path_end == p)
        v[vlen++] = '/';
    Py_ssize_t vpath_end = vlen;
    if (question >= 0 && url_end > question + 1) {
        for (Py_ssize_t i = question; i < url_end; i++)
            v[vlen++] = (char)t[i];
    }
    if (hash >= 0 && len > hash + 1) {
        for (Py_ssize_t i = hash; i < len; i++)
            v[vlen++] = (char)t[i];
    }
    PyObject *value = PyUnicode_FromStringAndSize(v, vlen);
    if (value == NULL) {
        rc = -1;
        goto done;
    }
    if (may_be_profile(v + vhost, authority_end - vhost))
        *found = profile_or_link(value, v, vhost, vhost_end, vpath, vpath_end);
    else
        *found = PyTuple_Pack(2, kind_url, value);
    Py_DECREF(value);
    if (*found == NULL)
        rc = PyErr_Occurred() ? -1 : 0;
    goto done;
refused:
    *found = Py_NewRef(Py_None);
done:
    PyMem_Free(v);
    PyMem_Free(buffer);
    return rc;
}


/* --- choosing among overlapping hits, and the finds: scanner._take and scan()'s end --- */

typedef struct {
    long priority;
    Py_ssize_t start, end, index;
} hit_key_t;

static int hit_key_cmp(const void *a, const void *b)
{
    const hit_key_t *x = a, *y = b;
    if (x->priority != y->priority)
        return x->priority < y->priority ? -1 : 1;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index; /* a stable sort */
}

static int hit_fields(PyObject *hit, long *priority, Py_ssize_t *start, Py_ssize_t *end)
{
    if (!PyTuple_Check(hit) || PyTuple_GET_SIZE(hit) != 6) {
        PyErr_SetString(PyExc_TypeError, "a hit is a 6-tuple (scanner._Hit)");
        return -1;
    }
    *priority = PyLong_AsLong(PyTuple_GET_ITEM(hit, 0));
    *start = PyLong_AsSsize_t(PyTuple_GET_ITEM(hit, 1));
    *end = PyLong_AsSsize_t(PyTuple_GET_ITEM(hit, 2));
    return PyErr_Occurred() ? -1 : 0;
}

static Py_ssize_t bisect_left(PyObject *list, Py_ssize_t value)
{
    Py_ssize_t lo = 0, hi = PyList_GET_SIZE(list);
    while (lo < hi) {
        Py_ssize_t mid = (lo + hi) / 2;
        if (PyLong_AsSsize_t(PyList_GET_ITEM(list, mid)) < value)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* scanner._take: hits in order of priority, then position, each unless it overlaps one
 * taken before. */
static int take_hits(PyObject *hits, PyObject *starts, PyObject *ends, PyObject *chosen)
{
    Py_ssize_t count = PyList_GET_SIZE(hits);
    hit_key_t *keys = PyMem_Malloc(sizeof(hit_key_t) * (count ? count : 1));
    if (keys == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t i = 0; i < count; i++) {
        keys[i].index = i;
        if (hit_fields(PyList_GET_ITEM(hits, i), &keys[i].priority, &keys[i].start,
                       &keys[i].end) < 0) {
            PyMem_Free(keys);
            return -1;
        }
    }
    qsort(keys, count, sizeof(hit_key_t), hit_key_cmp);
    for (Py_ssize_t k = 0; k < count; k++) {
        Py_ssize_t start = keys[k].start, end = keys[k].end;
        Py_ssize_t pos = bisect_left(starts, start);
        if (pos > 0 && PyLong_AsSsize_t(PyList_GET_ITEM(ends, pos - 1)) > start)
            continue;
        if (pos < PyList_GET_SIZE(starts) && PyLong_AsSsize_t(PyList_GET_ITEM(starts, pos)) < end)
            continue;
        PyObject *a = PyLong_FromSsize_t(start), *b = PyLong_FromSsize_t(end);
        int rc = (a && b) ? 0 : -1;
        if (rc == 0)
            rc = PyList_Insert(starts, pos, a);
        if (rc == 0)
            rc = PyList_Insert(ends, pos, b);
        Py_XDECREF(a);
        Py_XDECREF(b);
        if (rc == 0)
            rc = PyList_Append(chosen, PyList_GET_ITEM(hits, keys[k].index));
        if (rc < 0) {
            PyMem_Free(keys);
            return -1;
        }
    }
    PyMem_Free(keys);
    return 0;
}

static PyObject *py_take(PyObject *self, PyObject *args)
{
    PyObject *hits, *starts, *ends, *chosen;
    if (!PyArg_ParseTuple(args, "O!O!O!O!:take", &PyList_Type, &hits, &PyList_Type, &starts,
                          &PyList_Type, &ends, &PyList_Type, &chosen))
        return NULL;
    if (take_hits(hits, starts, ends, chosen) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *found_type;  /* types.Found */
/* money.mask_raw: every digit of a card's text but the BIN and the last four starred. */
static PyObject *mask_raw(PyObject *raw)
{
    Py_ssize_t n = PyUnicode_GET_LENGTH(raw), digits = 0;
    int kind = PyUnicode_KIND(raw);
    const void *data = PyUnicode_DATA(raw);
    for (Py_ssize_t i = 0; i < n; i++)
        digits += Py_UNICODE_ISDIGIT(PyUnicode_READ(kind, data, i)) != 0;
    if (digits <= 10)
        return Py_NewRef(raw);
    PyObject *out = PyUnicode_New(n, PyUnicode_MAX_CHAR_VALUE(raw) | '*');
    if (out == NULL)
        return NULL;
    Py_ssize_t seen = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (Py_UNICODE_ISDIGIT(c)) {
            if (seen >= 6 && seen < digits - 4)
                c = '*';
            seen++;
        }
        PyUnicode_WRITE(PyUnicode_KIND(out), PyUnicode_DATA(out), i, c);
    }
    return out;
}
static PyObject *s_kind, *s_value, *s_span, *s_raw, *s_warned, *s_card;

static int set_field(PyObject *obj, PyObject *name, PyObject *value)
{
    /* a frozen dataclass refuses setattr; its own __init__ goes round it the same way */
    return value == NULL ? -1 : PyObject_GenericSetAttr(obj, name, value);
}

/* One Found for a chosen hit, as scan() builds it. */
static PyObject *make_found(PyObject *text, PyObject *hit, PyObject *warned)
{
    PyObject *kind = PyTuple_GET_ITEM(hit, 3), *value = PyTuple_GET_ITEM(hit, 4),
             *card = PyTuple_GET_ITEM(hit, 5);
    Py_ssize_t start = PyLong_AsSsize_t(PyTuple_GET_ITEM(hit, 1));
    Py_ssize_t end = PyLong_AsSsize_t(PyTuple_GET_ITEM(hit, 2));
    if (PyErr_Occurred())
        return NULL;
    PyObject *kind_str = PyObject_Str(kind); /* a Kind member's value, a str as it is */
    PyObject *raw = PyUnicode_Substring(text, start, end);
    PyObject *span = Py_BuildValue("(nn)", start, end);
    PyObject *found = NULL;
    if (kind_str == NULL || raw == NULL || span == NULL)
        goto done;
    int is_card = PyUnicode_Compare(kind_str, kind_card);
    if (is_card == -1 && PyErr_Occurred())
        goto done;
    if (is_card == 0) {
        Py_SETREF(raw, mask_raw(raw));
        if (raw == NULL)
            goto done;
    }
    int in_warned = PySequence_Contains(warned, value);
    if (in_warned < 0)
        goto done;
    found = ((PyTypeObject *)found_type)->tp_alloc((PyTypeObject *)found_type, 0);
    if (found == NULL)
        goto done;
    if (set_field(found, s_kind, kind_str) < 0 || set_field(found, s_value, value) < 0 ||
        set_field(found, s_span, span) < 0 || set_field(found, s_raw, raw) < 0 ||
        set_field(found, s_warned, in_warned ? Py_True : Py_False) < 0 ||
        set_field(found, s_card, card) < 0)
        Py_CLEAR(found);
    else
        /* A Found is frozen and holds only strings, a tuple of two ints, a bool and a
         * frozen CardFingerprint of strings: no reference cycle can pass through it, so
         * the cycle collector has nothing to find there (as with a tuple of strings,
         * which it untracks itself). Untracked, the finds a caller keeps do not make
         * every full collection walk them; measured: a quarter of extraction's time
         * when 20 MB of finds are kept (bench/RESULTS.md). */
        PyObject_GC_UnTrack(found);
done:
    Py_XDECREF(kind_str);
    Py_XDECREF(raw);
    Py_XDECREF(span);
    return found;
}

static int start_cmp(const void *a, const void *b)
{
    const hit_key_t *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

/* The chosen hits as Found, in order of position. */
static PyObject *make_finds(PyObject *text, PyObject *chosen, PyObject *warned)
{
    Py_ssize_t count = PyList_GET_SIZE(chosen);
    hit_key_t *keys = PyMem_Malloc(sizeof(hit_key_t) * (count ? count : 1));
    if (keys == NULL)
        return PyErr_NoMemory();
    for (Py_ssize_t i = 0; i < count; i++) {
        keys[i].index = i;
        if (hit_fields(PyList_GET_ITEM(chosen, i), &keys[i].priority, &keys[i].start,
                       &keys[i].end) < 0) {
            PyMem_Free(keys);
            return NULL;
        }
    }
    qsort(keys, count, sizeof(hit_key_t), start_cmp); /* chosen hits never share a start */
    PyObject *out = PyList_New(count);
    for (Py_ssize_t k = 0; out != NULL && k < count; k++) {
        PyObject *found = make_found(text, PyList_GET_ITEM(chosen, keys[k].index), warned);
        if (found == NULL)
            Py_CLEAR(out);
        else
            PyList_SET_ITEM(out, k, found);
    }
    PyMem_Free(keys);
    return out;
}

static PyObject *py_finds(PyObject *self, PyObject *args)
{
    PyObject *text, *chosen, *warned;
    if (!PyArg_ParseTuple(args, "UO!O:finds", &text, &PyList_Type, &chosen, &warned))
        return NULL;
    if (!require_bound())
        return NULL;
    return make_finds(text, chosen, warned);
}

/* The one character whose full lower-case form is two characters (U+0130, İ): where it
 * occurs, str.lower() shifts offsets that a character-by-character lower-casing keeps,
 * so such a text is left to the Python scan. */
static int needs_full_lowering(const ch_t *s, Py_ssize_t n)
{
    for (Py_ssize_t i = 0; i < n; i++) {
        if (s[i] == 0x130)
            return 1;
    }
    return 0;
}

/* The text of a call, as UTF-32, into st (PyMem_Free(st->s) after): 1; 0 when the text is
 * left to the Python scan (it must be lower-cased and holds U+0130); -1 on error. */
static int scan_open(scan_t *st, PyObject *text, PyObject *region, PyObject *card_key,
                     PyObject *out, int lowers)
{
    if (!require_bound())
        return -1;
    Py_UCS4 *buffer = PyUnicode_AsUCS4Copy(text);
    if (buffer == NULL)
        return -1;
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    if (lowers && needs_full_lowering(buffer, n)) {
        PyMem_Free(buffer);
        return 0;
    }
    *st = (scan_t){text, buffer, n, region, card_key, out};
    return 1;
}

static PyObject *py_number_hits(PyObject *self, PyObject *args)
{
    PyObject *text, *region, *card_key, *out, *starts, *ends;
    scan_t st;
    if (!PyArg_ParseTuple(args, "UOOO!O!O!:number_hits", &text, &region, &card_key,
                          &PyList_Type, &out, &PyList_Type, &starts, &PyList_Type, &ends))
        return NULL;
    int open = scan_open(&st, text, region, card_key, out, 1);
    if (open <= 0)
        return open < 0 ? NULL : Py_NewRef(Py_False);
    int rc = number_hits(&st, starts, ends);
    PyMem_Free((void *)st.s);
    return rc < 0 ? NULL : Py_NewRef(Py_True);
}

static PyObject *py_web_hits(PyObject *self, PyObject *args)
{
    PyObject *text, *region, *out;
    scan_t st;
    if (!PyArg_ParseTuple(args, "UOO!:web_hits", &text, &region, &PyList_Type, &out))
        return NULL;
    if (scan_open(&st, text, region, NULL, out, 0) < 0)
        return NULL;
    int rc = web_hits(&st);
    PyMem_Free((void *)st.s);
    return rc < 0 ? NULL : Py_NewRef(Py_None);
}

static PyObject *py_handle_hits(PyObject *self, PyObject *args)
{
    PyObject *text, *out;
    scan_t st;
    if (!PyArg_ParseTuple(args, "UO!:handle_hits", &text, &PyList_Type, &out))
        return NULL;
    if (bound && PyUnicode_FindChar(text, '@', 0, PyUnicode_GET_LENGTH(text), 1) == -1)
        Py_RETURN_TRUE;
    int open = scan_open(&st, text, NULL, NULL, out, 1);
    if (open <= 0)
        return open < 0 ? NULL : Py_NewRef(Py_False);
    int rc = handle_hits(&st);
    PyMem_Free((void *)st.s);
    return rc < 0 ? NULL : PyBool_FromLong(rc);
}

static PyObject *py_fixed_hits(PyObject *self, PyObject *args)
{
    PyObject *text, *out;
    scan_t st;
    if (!PyArg_ParseTuple(args, "UO!:fixed_hits", &text, &PyList_Type, &out))
        return NULL;
    int open = scan_open(&st, text, NULL, NULL, out, 1);
    if (open <= 0)
        return open < 0 ? NULL : Py_NewRef(Py_False);
    int rc = fixed_hits(&st);
    PyMem_Free((void *)st.s);
    return rc < 0 ? NULL : Py_NewRef(Py_True);
}





/* One Python object given to bind(), by name. */
static int bound_object(PyObject *pieces, const char *name, PyObject **slot)
{
    PyObject *value = PyDict_GetItemString(pieces, name);
    if (value == NULL) {
        PyErr_Format(PyExc_KeyError, "bind() needs %s", name);
        return -1;
    }
    Py_XSETREF(*slot, Py_NewRef(value));
    return 0;
}

static int bound_int(PyObject *pieces, const char *name, int *slot)
{
    PyObject *value = PyDict_GetItemString(pieces, name);
    if (value == NULL) {
        PyErr_Format(PyExc_KeyError, "bind() needs %s", name);
        return -1;
    }
    long number = PyLong_AsLong(value);
    if (number == -1 && PyErr_Occurred())
        return -1;
    *slot = (int)number;
    return 0;
}


static PyObject *handle_hits_python_fn; /* scanner._handle_hits_python: (text, out) */

static int has_char(const ch_t *s, Py_ssize_t n, ch_t c)
{
    for (Py_ssize_t i = 0; i < n; i++) {
        if (s[i] == c)
            return 1;
    }
    return 0;
}

/* scanner.scan, all of it; 1 with *found set, 0 when the text is left to Python. */
static int scan_all(scan_t *st, PyObject *warned, PyObject **found)
{
    const ch_t *s = st->s;
    Py_ssize_t n = st->n;
    PyObject *hits = PyList_New(0), *starts = PyList_New(0), *ends = PyList_New(0),
             *chosen = PyList_New(0), *later = PyList_New(0);
    int rc = -1;
    if (!hits || !starts || !ends || !chosen || !later)
        goto done;
    st->out = hits;
    if (has_char(s, n, '.') || has_char(s, n, '[') || has_char(s, n, '(')) {
        if (web_hits(st) < 0)
            goto done;
    }
    if (fixed_hits(st) < 0 || take_hits(hits, starts, ends, chosen) < 0)
        goto done;
    st->out = later;
    if (number_hits(st, starts, ends) < 0)
        goto done;
    if (has_char(s, n, '@')) {
        int handled = handle_hits(st);
        if (handled < 0)
            goto done;
        if (handled == 0) { /* more mentions than the table holds */
            PyObject *r = PyObject_CallFunctionObjArgs(handle_hits_python_fn, st->text, later,
                                                       NULL);
            if (r == NULL)
                goto done;
            Py_DECREF(r);
        }
    }
    if (take_hits(later, starts, ends, chosen) < 0)
        goto done;
    *found = make_finds(st->text, chosen, warned);
    rc = *found == NULL ? -1 : 1;
done:
    Py_XDECREF(hits);
    Py_XDECREF(starts);
    Py_XDECREF(ends);
    Py_XDECREF(chosen);
    Py_XDECREF(later);
    return rc;
}

static PyObject *py_scan(PyObject *self, PyObject *args)
{
    PyObject *text, *region, *card_key, *warned;
    scan_t st;
    if (!PyArg_ParseTuple(args, "UOOO:scan", &text, &region, &card_key, &warned))
        return NULL;
    int open = scan_open(&st, text, region, card_key, NULL, 1);
    if (open <= 0)
        return open < 0 ? NULL : Py_NewRef(Py_None);
    PyObject *found = NULL;
    int rc = scan_all(&st, warned, &found);
    PyMem_Free((void *)st.s);
    return rc < 0 ? NULL : found;
}

/* pieces["profile_hosts"]: ((host, platform index), ...) into profile_hosts */
static int bound_profile_hosts(PyObject *pieces)
{
    PyObject *hosts = PyDict_GetItemString(pieces, "profile_hosts");
    if (hosts == NULL || !PyTuple_Check(hosts) ||
        PyTuple_GET_SIZE(hosts) > (Py_ssize_t)(sizeof profile_hosts / sizeof profile_hosts[0])) {
        PyErr_SetString(PyExc_TypeError, "bind: profile_hosts must be a tuple of at most 32");
        return -1;
    }
    profile_host_count = 0;
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(hosts); i++) {
        const char *host;
        Py_ssize_t n;
        int platform;
        if (!PyArg_ParseTuple(PyTuple_GET_ITEM(hosts, i), "s#i", &host, &n, &platform))
            return -1;
        if (n >= (Py_ssize_t)sizeof profile_hosts[0].host || platform < 0 || platform >= P_COUNT) {
            PyErr_SetString(PyExc_ValueError, "bind: a profile host too long or no network");
            return -1;
        }
        memcpy(profile_hosts[profile_host_count].host, host, (size_t)n + 1);
        profile_hosts[profile_host_count].platform = platform;
        profile_host_count++;
    }
    return 0;
}

static PyObject *py_bind(PyObject *self, PyObject *args)
{
    PyObject *pieces;
    if (!PyArg_ParseTuple(args, "O!:bind", &PyDict_Type, &pieces))
        return NULL;
    bound = 0;
    if (bound_object(pieces, "hmac_digest", &hmac_digest_fn) < 0 ||
        bound_object(pieces, "card_fingerprint", &fingerprint_type) < 0 ||
        bound_object(pieces, "valid_pattern", &valid_pattern_fn) < 0 ||
        bound_object(pieces, "code_regions", &code_regions) < 0 ||
        bound_object(pieces, "parses_national_prefix", &parses_prefix_fn) < 0 ||
        bound_object(pieces, "country_code", &country_code_fn) < 0 ||
        bound_object(pieces, "parse_e164", &parse_e164_fn) < 0 ||
        bound_object(pieces, "russian_context", &russian_context_fn) < 0 ||
        bound_object(pieces, "looks_russian_format", &looks_russian_fn) < 0 ||
        bound_object(pieces, "region_ru", &region_ru) < 0 ||
        bound_object(pieces, "crypto_value", &crypto_value_fn) < 0 ||
        bound_object(pieces, "iban_value", &iban_value_fn) < 0 ||
        bound_object(pieces, "hit", &hit_type) < 0 ||
        bound_object(pieces, "found", &found_type) < 0 ||
        bound_object(pieces, "handle_reserved", &handle_reserved) < 0 ||
        bound_object(pieces, "handle_hits_python", &handle_hits_python_fn) < 0 ||
        bound_object(pieces, "platform_kinds", &platform_kinds) < 0 ||
        bound_int(pieces, "handle_priority", &handle_priority) < 0 ||
        bound_object(pieces, "card", &kind_card) < 0 ||
        bound_object(pieces, "phone", &kind_phone) < 0 ||
        bound_object(pieces, "iban", &kind_iban) < 0 ||
        bound_object(pieces, "ipv4", &kind_ipv4) < 0 ||
        bound_object(pieces, "ipv6", &kind_ipv6) < 0 ||
        bound_object(pieces, "email_value", &email_value_fn) < 0 ||
        bound_object(pieces, "url_value", &url_value_fn) < 0 ||
        bound_object(pieces, "domain_value", &domain_value_fn) < 0 ||
        bound_suffix_trie(pieces) < 0 ||
        bound_object(pieces, "url", &kind_url) < 0 ||
        bound_object(pieces, "file_extensions", &file_extensions) < 0 ||
        bound_object(pieces, "top_labels", &top_labels) < 0 ||
        bound_object(pieces, "sha256", &sha256_fn) < 0 ||
        bound_object(pieces, "iban_country", &iban_country_fn) < 0 ||
        bound_object(pieces, "btc", &crypto_kinds[CRYPTO_BTC]) < 0 ||
        bound_object(pieces, "eth", &crypto_kinds[CRYPTO_ETH]) < 0 ||
        bound_object(pieces, "ltc", &crypto_kinds[CRYPTO_LTC]) < 0 ||
        bound_object(pieces, "trx", &crypto_kinds[CRYPTO_TRX]) < 0 ||
        bound_object(pieces, "cyrillic_suffixes", &cyrillic_suffixes) < 0 || bound_profile_hosts(pieces) < 0 ||
        bound_object(pieces, "email", &kind_email) < 0 ||
        bound_object(pieces, "domain", &kind_domain) < 0 ||
        bound_int(pieces, "web_priority", &web_priority) < 0 ||
        bound_int(pieces, "host_priority", &host_priority) < 0 ||
        bound_int(pieces, "number_priority", &number_priority) < 0 ||
        bound_int(pieces, "crypto_priority", &crypto_priority) < 0 ||
        bound_int(pieces, "iban_priority", &iban_priority) < 0 ||
        bound_int(pieces, "ip_priority", &ip_priority) < 0)
        return NULL;
    bound = 1;
    Py_RETURN_NONE;
}


/* --- inner loops of checksums.py (the Python there is the reference) --- */

/* checksums._polymod: BIP 173's checksum over a sequence of 5-bit values. */
static PyObject *py_bech32_polymod(PyObject *self, PyObject *arg)
{
    PyObject *seq = PySequence_Fast(arg, "bech32_polymod needs a sequence of ints");
    if (seq == NULL)
        return NULL;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    PyObject **items = PySequence_Fast_ITEMS(seq);
    unsigned char *values = PyMem_Malloc((size_t)(n ? n : 1));
    if (values == NULL) {
        Py_DECREF(seq);
        return PyErr_NoMemory();
    }
    PyObject *result = NULL;
    for (Py_ssize_t i = 0; i < n; i++) {
        long value = PyLong_AsLong(items[i]);
        if (value == -1 && PyErr_Occurred())
            goto done;
        if (value < 0 || value > 0xFF) { /* never from our callers: the Python takes it */
            result = Py_NewRef(Py_NotImplemented);
            goto done;
        }
        values[i] = (unsigned char)value;
    }
    result = PyLong_FromUnsignedLong(bech32_polymod(values, n));
done:
    PyMem_Free(values);
    Py_DECREF(seq);
    return result;
}

/* checksums.eip55_checksum's last step: upper-case a hex digit where the Keccak digest's
 * nibble at the same place is 8 or more. */
static PyObject *py_eip55_case(PyObject *self, PyObject *args)
{
    const char *lower, *digest;
    Py_ssize_t n, nd;
    if (!PyArg_ParseTuple(args, "s#y#:eip55_case", &lower, &n, &digest, &nd))
        return NULL;
    if (n > 2 * nd || n > 64) {
        PyErr_SetString(PyExc_ValueError, "eip55_case: more characters than digest nibbles");
        return NULL;
    }
    char out[64];
    for (Py_ssize_t i = 0; i < n; i++) {
        unsigned char byte = (unsigned char)digest[i / 2];
        unsigned nibble = i % 2 ? byte & 15 : byte >> 4;
        char c = lower[i];
        out[i] = nibble >= 8 && c >= 'a' && c <= 'z' ? (char)(c - 32) : c;
    }
    return PyUnicode_FromStringAndSize(out, n);
}

static PyObject *py_handle_ok(PyObject *self, PyObject *args)
{
    PyObject *kind;
    const char *handle;
    Py_ssize_t n;
    if (!PyArg_ParseTuple(args, "Us#:handle_ok", &kind, &handle, &n))
        return NULL;
    if (!require_bound())
        return NULL;
    for (int platform = 0; platform < P_COUNT; platform++) {
        int same = PyUnicode_Compare(kind, PyTuple_GET_ITEM(platform_kinds, platform));
        if (same == -1 && PyErr_Occurred())
            return NULL;
        if (same != 0)
            continue;
        PyObject *value = PyUnicode_FromStringAndSize(handle, n);
        if (value == NULL)
            return NULL;
        int accepted = handle_accepted(platform, handle, n, value);
        Py_DECREF(value);
        return accepted < 0 ? NULL : PyBool_FromLong(accepted);
    }
    Py_RETURN_FALSE;
}

/* A compiled check of a whole str: its answer, or NotImplemented where it leaves the
 * candidate to the Python check. */
static PyObject *compiled_check_of(PyObject *args, const char *format, compiled_check_t check)
{
    PyObject *text;
    if (!PyArg_ParseTuple(args, format, &text))
        return NULL;
    if (!require_bound())
        return NULL;
    Py_UCS4 *buffer = PyUnicode_AsUCS4Copy(text);
    if (buffer == NULL)
        return NULL;
    PyObject *found = NULL;
    int taken = check(buffer, 0, PyUnicode_GET_LENGTH(text), &found);
    PyMem_Free(buffer);
    if (taken < 0)
        return NULL;
    return taken ? found : Py_NewRef(Py_NotImplemented);
}

static PyObject *py_phone_lookup(PyObject *self, PyObject *args)
{
    PyObject *candidate, *region, *text;
    if (!PyArg_ParseTuple(args, "UUU:phone_lookup", &candidate, &region, &text))
        return NULL;
    if (!require_bound())
        return NULL;
    Py_UCS4 *buffer = PyUnicode_AsUCS4Copy(candidate);
    if (buffer == NULL)
        return NULL;
    PyObject *value =
        phone_lookup_c(buffer, candidate, 0, PyUnicode_GET_LENGTH(candidate), region, text);
    PyMem_Free(buffer);
    return value;
}

static PyObject *py_url_value(PyObject *self, PyObject *args)
{
    return compiled_check_of(args, "U:url_value", url_check);
}

static PyObject *py_domain_value(PyObject *self, PyObject *args)
{
    return compiled_check_of(args, "U:domain_value", domain_check);
}

static PyObject *py_crypto_value(PyObject *self, PyObject *args)
{
    return compiled_check_of(args, "U:crypto_value", crypto_check);
}

static PyObject *py_iban_value(PyObject *self, PyObject *args)
{
    return compiled_check_of(args, "U:iban_value", iban_check);
}

static PyObject *py_email_value(PyObject *self, PyObject *args)
{
    return compiled_check_of(args, "U:email_value", email_check);
}

static PyObject *py_host_ok(PyObject *self, PyObject *args)
{
    const char *host;
    Py_ssize_t n;
    if (!PyArg_ParseTuple(args, "s#:host_ok", &host, &n))
        return NULL;
    if (!require_bound())
        return NULL;
    return PyBool_FromLong(host_ok(host, n));
}

static PyObject *py_ipv6_normal(PyObject *self, PyObject *args)
{
    PyObject *text;
    if (!PyArg_ParseTuple(args, "U:ipv6_normal", &text))
        return NULL;
    Py_UCS4 *buffer = PyUnicode_AsUCS4Copy(text);
    if (buffer == NULL)
        return NULL;
    PyObject *value = ipv6_normal(buffer, 0, PyUnicode_GET_LENGTH(text));
    PyMem_Free(buffer);
    return value;
}

static PyObject *py_phone_context_ok(PyObject *self, PyObject *args)
{
    PyObject *text;
    Py_ssize_t start, end;
    if (!PyArg_ParseTuple(args, "Unn:phone_context_ok", &text, &start, &end))
        return NULL;
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    if (start < 0 || end > n || start > end) {
        PyErr_SetString(PyExc_IndexError, "span outside the text");
        return NULL;
    }
    Py_UCS4 *buffer = PyUnicode_AsUCS4Copy(text);
    if (buffer == NULL)
        return NULL;
    int ok = phone_context_ok(buffer, n, start, end);
    PyMem_Free(buffer);
    return PyBool_FromLong(ok);
}

static PyMethodDef methods[] = {
    {"bind", py_bind, METH_VARARGS,
     "bind(pieces): the Python callables, kinds and priorities the scans use, by name."},
    {"scan", py_scan, METH_VARARGS,
     "scan(text, region, card_key, warned) -> list[Found] | None: scanner.scan; None when "
     "the text is left to the Python scan."},
    {"handle_hits", py_handle_hits, METH_VARARGS,
     "handle_hits(text, out) -> bool: scanner._handle_hits; False when the text is left "
     "to the Python scan."},
    {"take", py_take, METH_VARARGS,
     "take(hits, taken_starts, taken_ends, chosen): scanner._take."},
    {"finds", py_finds, METH_VARARGS,
     "finds(text, chosen, warned) -> list[Found]: the chosen hits as Found, by position."},
    {"web_hits", py_web_hits, METH_VARARGS,
     "web_hits(text, region, out): scanner._web_hits (links, e-mail addresses, hosts)."},
    {"fixed_hits", py_fixed_hits, METH_VARARGS,
     "fixed_hits(text, out) -> bool: scanner._crypto_hits, _iban_hits, _ipv4_hits and "
     "_ipv6_hits; "
     "False when the text is left to the Python scan."},
    {"number_hits", py_number_hits, METH_VARARGS,
     "number_hits(text, region, card_key, out, taken_starts, taken_ends) -> bool: "
     "scanner._number_hits; False when the text is left to the Python scan."},
    {"bech32_polymod", py_bech32_polymod, METH_O,
     "bech32_polymod(values) -> int: checksums._polymod for values 0..255 "
     "(NotImplemented for others)."},
    {"eip55_case", py_eip55_case, METH_VARARGS,
     "eip55_case(lower_hex, digest) -> str: EIP-55's mixed case from the Keccak digest."},
    {"handle_ok", py_handle_ok, METH_VARARGS,
     "handle_ok(kind, handle) -> bool: social.handle_ok for an ASCII lower-case handle."},
    {"phone_lookup", py_phone_lookup, METH_VARARGS,
     "phone_lookup(candidate, region, text) -> str | None: phones.phone_lookup."},
    {"url_value", py_url_value, METH_VARARGS,
     "url_value(raw) -> (kind, value) | None | NotImplemented: scanner._url_value for the "
     "links the compiled code takes (NotImplemented for the others)."},
    {"domain_value", py_domain_value, METH_VARARGS,
     "domain_value(raw) -> str | None | NotImplemented: scanner._domain_value for a plain "
     "ASCII host (NotImplemented for the others)."},
    {"crypto_value", py_crypto_value, METH_VARARGS,
     "crypto_value(raw) -> (kind, value) | None | NotImplemented: scanner._crypto_value "
     "but Ethereum's mixed case and Monero (NotImplemented)."},
    {"iban_value", py_iban_value, METH_VARARGS,
     "iban_value(raw) -> str | None | NotImplemented: scanner._iban_value but countries "
     "with a national check (NotImplemented)."},
    {"email_value", py_email_value, METH_VARARGS,
     "email_value(raw) -> str | None | NotImplemented: scanner._email_value for a plain "
     "ASCII address (NotImplemented for the others)."},
    {"host_ok", py_host_ok, METH_VARARGS,
     "host_ok(host) -> bool: web.host_ok, on the copy of the suffix trie bind() made."},
    {"ipv6_normal", py_ipv6_normal, METH_VARARGS,
     "ipv6_normal(text) -> str | None: web.ip_normal for a text with a colon."},
    {"phone_context_ok", py_phone_context_ok, METH_VARARGS,
     "phone_context_ok(text, start, end) -> bool: phones.phone_context_ok for text[start:end] "
     "with its 30 characters before and 12 after."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "markaz.extract._scan",
    "The number scan of markaz.extract.scanner, compiled (see _scan.c).", -1, methods,
};

PyMODINIT_FUNC PyInit__scan(void)
{
    starts_init();
    if (platform_groups_init() < 0)
        return NULL;
    s_kind = PyUnicode_InternFromString("kind");
    s_value = PyUnicode_InternFromString("value");
    s_span = PyUnicode_InternFromString("span");
    s_raw = PyUnicode_InternFromString("raw");
    s_warned = PyUnicode_InternFromString("warned");
    s_card = PyUnicode_InternFromString("card");
    s_bin = PyUnicode_InternFromString("bin");
    s_last4 = PyUnicode_InternFromString("last4");
    s_length = PyUnicode_InternFromString("length");
    s_hmac = PyUnicode_InternFromString("hmac");
    s_sha256 = PyUnicode_InternFromString("sha256");
    s_digest = PyUnicode_InternFromString("digest");
    s_fullmatch = PyUnicode_InternFromString("fullmatch");
    if (!s_kind || !s_value || !s_span || !s_raw || !s_warned || !s_card || !s_bin ||
        !s_last4 || !s_length || !s_hmac || !s_sha256)
        return NULL;
    return PyModule_Create(&module);
}
