/* coach_state.h - what the coach keeps in the session (session.h holds
 * one): the warnings given so far, once each, and the counters the
 * checks that span commands need.  The checks are in coach_*.c. */
#ifndef REPL_COACH_STATE_H
#define REPL_COACH_STATE_H

#define REPL_COACH_MAX 24     /* >= REPL_W_COUNT (coach.c checks) */
#define REPL_COACH_LINE 400   /* a warning's text, as printed */

typedef struct repl_coach {
    int off;                  /* set warnings=off */
    int ngiven;               /* warnings given, in order[] */
    signed char order[REPL_COACH_MAX];
    unsigned char given[REPL_COACH_MAX];      /* by repl_warn_id */
    char line[REPL_COACH_MAX][REPL_COACH_LINE];   /* "fit: ...; ... (section 10.2)" */
    /* test-set tuning: evaluations of the test split, counted when a fit
     * ran since the one before (coach_eval.c) */
    int test_evals;
    int fit_since_test;
} repl_coach;

#endif
