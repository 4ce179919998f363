/* placeholder until the suite is written */
#include "check_util.h"
Suite *suite_activation(void) { return suite_create("activation"); }
