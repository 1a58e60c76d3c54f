/* test_keyhash.c - the caches' key hash (src/core/keyhash.c): the same
 * bytes give the same digits, and any other bytes (a bit flipped, a byte
 * more, a zero byte more) other digits. */
#include "../../src/core/keyhash.h"
#include "unit.h"

void unit_suite_keyhash(void)
{
    TEST("keyhash: same bytes, same digits; 40 and 32 lowercase hex digits")
    {
        char a[41], b[41], c[33];
        keyhash_hex("migrations/000001_x.up.sql", 26, a, 40);
        keyhash_hex("migrations/000001_x.up.sql", 26, b, 40);
        keyhash_hex("migrations/000001_x.up.sql", 26, c, 32);
        CHECK_STR(a, b);
        CHECK_INT(40, strlen(a));
        CHECK_INT(32, strlen(c));
        CHECK(!strncmp(a, c, 32));
        for (size_t i = 0; i < 40; i++)
            CHECK((a[i] >= '0' && a[i] <= '9') || (a[i] >= 'a' && a[i] <= 'f'));
    }
    TEST("keyhash: every bit flipped and every length gives other digits")
    {
        unsigned char data[61]; /* 7 words and a tail of 5 bytes */
        char base[41], other[41];
        for (size_t i = 0; i < sizeof data; i++)
            data[i] = (unsigned char)(i * 37 + 11);
        keyhash_hex(data, sizeof data, base, 40);
        int same = 0;
        for (size_t bit = 0; bit < 8 * sizeof data; bit++) {
            data[bit / 8] ^= (unsigned char)(1u << (bit % 8));
            keyhash_hex(data, sizeof data, other, 40);
            same += !strcmp(base, other);
            data[bit / 8] ^= (unsigned char)(1u << (bit % 8));
        }
        CHECK_INT(0, same);
        /* a zero byte more is another text: the length is hashed */
        unsigned char zeros[17] = {0};
        char prev[41] = "";
        for (size_t n = 0; n <= sizeof zeros; n++) {
            keyhash_hex(zeros, n, other, 40);
            CHECK(strcmp(prev, other) != 0);
            memcpy(prev, other, sizeof prev);
        }
        CHECK(keyhash64("ab", 2) != keyhash64("ba", 2));
    }
}
