/* range.c - the axis range of a figure's data (figure.h): grown by a
 * fraction of its width, a flat or undefined range made drawable. */
#include <math.h>
#include "figure.h"

void plot_pad_range(double *lo, double *hi, double frac)
{
    if (!isfinite(*lo) || !isfinite(*hi)) {
        *lo = 0;
        *hi = 1;
        return;
    }
    double w = *hi - *lo;
    if (w <= 0 || w < 1e-12 * fabs(*hi)) {
        double d = fabs(*lo) > 0 ? fabs(*lo) / 10 : 0.5;
        *lo -= d;
        *hi += d;
        return;
    }
    *lo -= frac * w;
    *hi += frac * w;
}
