/* placeholder until the suite is written */
#include "check_util.h"
Suite *suite_idx(void) { return suite_create("idx"); }
