/* placeholder until the suite is written */
#include "check_util.h"
Suite *suite_metrics(void) { return suite_create("metrics"); }
