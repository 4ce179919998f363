/* train_common.h - what the training commands share (fit, step,
 * evaluate, predict, expect): the check that a model and data are there,
 * and the three splits by name. */
#ifndef REPL_TRAIN_COMMON_H
#define REPL_TRAIN_COMMON_H

#include "repl.h"

/* 0 when training data is loaded and a model with parameters exists (and
 * is compiled, when compiled), else -1 after the error for cmd. */
int repl_need_model_data(repl_session *s, const char *cmd, int compiled);

/* The splits by index 0, 1, 2: repl_split_names (values.h). */
/* The split a result is measured on by default: test if there is one,
 * else valid, else train. */
int repl_default_split(const repl_session *s);

#endif
