/* The elementary functions of msvcrt's math.h, within one unit in the last place (most
   results correctly rounded): table-driven reductions and double-double arithmetic (no FMA,
   no x87). Pure C: also compiled natively for the comparison tests against glibc.

   Each function reports a domain error or a range error through *error (XM_EDOM,
   XM_ERANGE), which msvcrt turns into errno; NULL ignores it. */
#ifndef XCDB_XMATH_H
#define XCDB_XMATH_H

#define XM_EDOM 33
#define XM_ERANGE 34

double xm_exp(double x, int *error);
double xm_log(double x, int *error);
double xm_log10(double x, int *error);
double xm_log2(double x, int *error);
double xm_log1p(double x, int *error);
double xm_expm1(double x, int *error);
double xm_exp2(double x, int *error);
double xm_pow(double x, double y, int *error);
double xm_sin(double x, int *error);
double xm_cos(double x, int *error);
double xm_tan(double x, int *error);
double xm_asin(double x, int *error);
double xm_acos(double x, int *error);
double xm_atan(double x);
double xm_atan2(double y, double x);
double xm_sinh(double x, int *error);
double xm_cosh(double x, int *error);
double xm_tanh(double x);
double xm_hypot(double x, double y, int *error);
double xm_cbrt(double x);
double xm_sqrt(double x, int *error);
double xm_fmod(double x, double y, int *error);
double xm_floor(double x);
double xm_ceil(double x);
double xm_trunc(double x);
double xm_round(double x);
double xm_rint(double x);
double xm_modf(double x, double *integer);
double xm_frexp(double x, int *exponent);
double xm_ldexp(double x, int exponent, int *error);

#endif
