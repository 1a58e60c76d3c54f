/* keyhash.c - the caches' key hash (see keyhash.h): three 64-bit lanes,
 * each taking every 8-byte word through a multiply and a rotation (as
 * xxHash64's rounds do), finished with MurmurHash3's fmix64 over the
 * lanes and the length. 192 bits, of which the caller takes what its
 * names hold (40 or 32 hex digits). */
#include "keyhash.h"

#include <stdint.h>
#include <string.h>

static const uint64_t P1 = 0x9e3779b185ebca87ull, P2 = 0xc2b2ae3d27d4eb4full,
                      P3 = 0x165667b19e3779f9ull;

static uint64_t rotl(uint64_t v, int r)
{
    return (v << r) | (v >> (64 - r));
}

static uint64_t fmix(uint64_t k)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdull;
    k ^= k >> 33;
    k *= 0xc4ceb9fe1a85ec53ull;
    k ^= k >> 33;
    return k;
}

static void lanes_of(const void *data, size_t len, uint64_t lanes[3])
{
    const unsigned char *p = data;
    uint64_t a = P1, b = P2, c = P3, w;
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        memcpy(&w, p + i, 8); /* the key's own byte order: it never leaves this machine */
        a = rotl(a ^ (w * P2), 31) * P1;
        b = rotl(b ^ (w * P3), 29) * P2;
        c = rotl(c + (w ^ a), 27) * P3;
    }
    unsigned char tail[8] = {0};
    memcpy(tail, p + i, len - i);
    memcpy(&w, tail, 8);
    w ^= (uint64_t)(len - i) << 56;
    a = fmix(a ^ (w * P2) ^ len);
    b = fmix(b ^ rotl(w * P3, 17) ^ a);
    c = fmix(c ^ (w * P1) ^ b);
    lanes[0] = a;
    lanes[1] = b;
    lanes[2] = c;
}

uint64_t keyhash64(const void *data, size_t len)
{
    uint64_t lanes[3];
    lanes_of(data, len, lanes);
    return lanes[0];
}

void keyhash_hex(const void *data, size_t len, char *out, size_t hexlen)
{
    uint64_t lanes[3];
    lanes_of(data, len, lanes);
    static const char hex[] = "0123456789abcdef";
    if (hexlen > 48)
        hexlen = 48;
    for (size_t k = 0; k < hexlen; k++)
        out[k] = hex[(lanes[k / 16] >> (60 - 4 * (k % 16))) & 15];
    out[hexlen] = '\0';
}
