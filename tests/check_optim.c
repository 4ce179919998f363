/* placeholder until the suite is written */
#include "check_util.h"
Suite *suite_optim(void) { return suite_create("optim"); }
