/* math.h over fixed values, printed to 10 significant digits (well inside the last place, so
   any correct library prints the same). */
#include <math.h>
#include <stdio.h>

int main(void) {
    double xs[] = {0.0, 0.5, 1.0, 2.0, 3.0, 10.0, 0.001, 100.5, -0.75, -2.5};
    for (int i = 0; i < 10; i++) {
        double x = xs[i];
        printf("x=%g: sin %.10g cos %.10g tan %.10g atan %.10g exp %.10g sinh %.10g cosh %.10g tanh %.10g\n", x,
            sin(x), cos(x), tan(x), atan(x), exp(x), sinh(x), cosh(x), tanh(x));
        if (x > 0) printf("  log %.10g log10 %.10g sqrt %.10g\n", log(x), log10(x), sqrt(x));
        if (fabs(x) <= 1) printf("  asin %.10g acos %.10g\n", asin(x), acos(x));
    }
    printf("pow %.10g %.10g %.10g %.10g %.10g\n", pow(2, 10), pow(2, 0.5), pow(10, -3), pow(-2, 3), pow(1.5, 2.5));
    printf("atan2 %.10g %.10g %.10g %.10g\n", atan2(1, 1), atan2(-1, -1), atan2(0, -1), atan2(3, 4));
    printf("fmod %.10g %.10g %.10g\n", fmod(10, 3), fmod(-10, 3), fmod(5.5, 1.25));
    printf("floor %g %g ceil %g %g fabs %g\n", floor(2.7), floor(-2.7), ceil(2.2), ceil(-2.2), fabs(-3.5));
    double integer;
    double fraction = modf(3.75, &integer);
    printf("modf %g %g\n", integer, fraction);
    int exponent;
    double mantissa = frexp(48.0, &exponent);
    printf("frexp %g %d ldexp %g\n", mantissa, exponent, ldexp(0.75, 6));
    printf("hypot %.10g\n", hypot(3, 4));
    printf("sqrtf %.6g sinf %.6g expf %.6g powf %.6g\n", (double)sqrtf(2.0f), (double)sinf(1.0f), (double)expf(1.0f),
        (double)powf(2.0f, 0.5f));
    printf("pi %.15g e %.15g\n", 4 * atan(1.0), exp(1.0));
    return 0;
}
