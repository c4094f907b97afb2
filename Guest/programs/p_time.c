/* time.h over fixed times (the machine and the native oracle both run in UTC): gmtime,
   mktime's normalisation, strftime, difftime. */
#include <stdio.h>
#include <string.h>
#include <time.h>

int main(void) {
    time_t moments[] = {0, 86399, 951782400 /* 2000-02-29 */, 1000000000, 1234567890, 1700000000, 2000000000,
        4102444800LL /* 2100-01-01 */};
    for (size_t i = 0; i < sizeof(moments) / sizeof(moments[0]); i++) {
        struct tm *tm = gmtime(&moments[i]);
        char text[128];
        strftime(text, sizeof(text), "%Y-%m-%d %H:%M:%S %j %a %A %b %B %p %y %w %%", tm);
        printf("%lld: %s (wday %d yday %d)\n", (long long)moments[i], text, tm->tm_wday, tm->tm_yday);
    }
    struct tm t;
    memset(&t, 0, sizeof(t));
    t.tm_year = 2024 - 1900;
    t.tm_mon = 13; /* February of the next year */
    t.tm_mday = 31; /* past its end */
    t.tm_hour = 25;
    t.tm_min = -30;
    time_t made = mktime(&t);
    printf("mktime %lld -> %04d-%02d-%02d %02d:%02d wday %d yday %d\n", (long long)made, t.tm_year + 1900,
        t.tm_mon + 1, t.tm_mday, t.tm_hour, t.tm_min, t.tm_wday, t.tm_yday);
    printf("difftime %.1f\n", difftime(moments[3], moments[2]));
    char small[4];
    printf("too small: %u\n", (unsigned)strftime(small, sizeof(small), "%Y-%m-%d", gmtime(&moments[3])));
    time_t now = time(NULL);
    printf("now is after 2020: %s\n", now > 1577836800 ? "yes" : "no");
    return 0;
}
