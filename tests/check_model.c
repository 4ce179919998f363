/* placeholder until the suite is written */
#include "check_util.h"
Suite *suite_model(void) { return suite_create("model"); }
