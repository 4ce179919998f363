/* placeholder until the suite is written */
#include "check_util.h"
Suite *suite_perceptron(void) { return suite_create("perceptron"); }
