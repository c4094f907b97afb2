/* Big-integer arithmetic for exact float conversion (see bigint.h). Operations that would
   exceed the capacity saturate the length; the callers size their inputs so that they do not. */
#include "bigint.h"

static void trim(xc_big *a) {
    while (a->length > 0 && a->limb[a->length - 1] == 0) a->length--;
}

void xc_big_set(xc_big *a, uint64_t value) {
    a->limb[0] = (uint32_t)value;
    a->limb[1] = (uint32_t)(value >> 32);
    a->length = 2;
    trim(a);
}

void xc_big_mul_small(xc_big *a, uint32_t factor) {
    uint64_t carry = 0;
    for (int i = 0; i < a->length; i++) {
        uint64_t p = (uint64_t)a->limb[i] * factor + carry;
        a->limb[i] = (uint32_t)p;
        carry = p >> 32;
    }
    if (carry && a->length < XC_BIG_LIMBS) a->limb[a->length++] = (uint32_t)carry;
}

void xc_big_add_small(xc_big *a, uint32_t value) {
    uint64_t carry = value;
    for (int i = 0; i < a->length && carry; i++) {
        uint64_t s = (uint64_t)a->limb[i] + carry;
        a->limb[i] = (uint32_t)s;
        carry = s >> 32;
    }
    if (carry && a->length < XC_BIG_LIMBS) a->limb[a->length++] = (uint32_t)carry;
}

uint32_t xc_big_div_small(xc_big *a, uint32_t divisor) {
    uint64_t remainder = 0;
    for (int i = a->length - 1; i >= 0; i--) {
        uint64_t current = (remainder << 32) | a->limb[i];
        a->limb[i] = (uint32_t)(current / divisor);
        remainder = current % divisor;
    }
    trim(a);
    return (uint32_t)remainder;
}

void xc_big_shift_left(xc_big *a, int bits) {
    if (!a->length || bits <= 0) return;
    int words = bits / 32, shift = bits % 32;
    int length = a->length + words + 1;
    if (length > XC_BIG_LIMBS) length = XC_BIG_LIMBS;
    for (int i = length - 1; i >= 0; i--) {
        int source = i - words;
        uint64_t high = source >= 0 && source < a->length ? a->limb[source] : 0;
        uint64_t low = source - 1 >= 0 && source - 1 < a->length ? a->limb[source - 1] : 0;
        a->limb[i] = shift ? (uint32_t)((high << shift) | (low >> (32 - shift))) : (uint32_t)high;
    }
    a->length = length;
    trim(a);
}

void xc_big_mul_pow5(xc_big *a, int power) {
    /* 5^13 is the largest power of five below 2^32. */
    while (power >= 13) {
        xc_big_mul_small(a, 1220703125u);
        power -= 13;
    }
    static const uint32_t small[13] = {
        1, 5, 25, 125, 625, 3125, 15625, 78125, 390625, 1953125, 9765625, 48828125, 244140625};
    if (power > 0) xc_big_mul_small(a, small[power]);
}

void xc_big_mul_pow10(xc_big *a, int power) {
    xc_big_mul_pow5(a, power);
    xc_big_shift_left(a, power);
}

int xc_big_compare(const xc_big *a, const xc_big *b) {
    if (a->length != b->length) return a->length < b->length ? -1 : 1;
    for (int i = a->length - 1; i >= 0; i--)
        if (a->limb[i] != b->limb[i]) return a->limb[i] < b->limb[i] ? -1 : 1;
    return 0;
}

void xc_big_sub(xc_big *a, const xc_big *b) {
    int64_t borrow = 0;
    for (int i = 0; i < a->length; i++) {
        int64_t d = (int64_t)a->limb[i] - (i < b->length ? b->limb[i] : 0) - borrow;
        borrow = d < 0;
        a->limb[i] = (uint32_t)(d + (borrow ? ((int64_t)1 << 32) : 0));
    }
    trim(a);
}

int xc_big_bits(const xc_big *a) {
    if (!a->length) return 0;
    return (a->length - 1) * 32 + (32 - __builtin_clz(a->limb[a->length - 1]));
}
