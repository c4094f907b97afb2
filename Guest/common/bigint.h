/* Small fixed-capacity unsigned big integers (32-bit limbs, least significant first) for exact
   decimal <-> binary conversion of doubles. Pure C: also compiled natively for tests. */
#ifndef XCDB_BIGINT_H
#define XCDB_BIGINT_H

#include <stddef.h>
#include <stdint.h>

/* 2^1024 * 10^... fits: the largest need is a 768-digit significand times 2^1100 or so. */
#define XC_BIG_LIMBS 260

typedef struct {
    int length; /* limbs in use; 0 is zero */
    uint32_t limb[XC_BIG_LIMBS];
} xc_big;

void xc_big_set(xc_big *a, uint64_t value);
void xc_big_mul_small(xc_big *a, uint32_t factor);
void xc_big_add_small(xc_big *a, uint32_t value);
uint32_t xc_big_div_small(xc_big *a, uint32_t divisor); /* returns the remainder */
void xc_big_shift_left(xc_big *a, int bits);
void xc_big_mul_pow5(xc_big *a, int power);
void xc_big_mul_pow10(xc_big *a, int power);
int xc_big_compare(const xc_big *a, const xc_big *b);
void xc_big_sub(xc_big *a, const xc_big *b); /* a -= b, a >= b */
int xc_big_bits(const xc_big *a);

#endif
