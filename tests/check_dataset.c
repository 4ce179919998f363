/* placeholder until the suite is written */
#include "check_util.h"
Suite *suite_dataset(void) { return suite_create("dataset"); }
