/* placeholder until the suite is written */
#include "check_util.h"
Suite *suite_rng(void) { return suite_create("rng"); }
