/* placeholder until the suite is written */
#include "check_util.h"
Suite *suite_mat(void) { return suite_create("mat"); }
