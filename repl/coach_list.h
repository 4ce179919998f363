/* coach_list.h - the coach's warnings, one line each: the registry.
 *
 * X(ID, name, section, threshold, explanation): the id (REPL_W_ID), the
 * name `warnings` and `help warnings` show, the section of chapter 10
 * (SEED-TERMS.md's numbering), when it fires, and why it matters.  The
 * help text of `warnings` is made from this list at compile time, so the
 * thresholds it states are the ones the checks use (each check names its
 * constants beside the line here). */
#ifndef REPL_COACH_LIST_H
#define REPL_COACH_LIST_H

#define REPL_WARNINGS(X)                                                        \
    X(SORTED_SPLIT, "sorted_split", "10.2",                                     \
      "fit validation_split=F on class labels: a class with 5 or more "        \
      "samples expected in the validation part (or the training part) has "    \
      "none there",                                                             \
      "validation_split takes the LAST fraction of the samples, before any "    \
      "shuffling: on a file sorted by class it holds one class alone, and "     \
      "the val_ numbers say nothing")                                           \
    X(FEATURE_SCALES, "feature_scales", "10.2",                                 \
      "fit on unscaled features whose largest standard deviation is over "      \
      "100 times the smallest (constant features and images left out)",        \
      "gradient descent takes one learning rate for every weight: features "    \
      "on very different scales make a long narrow valley, so training "       \
      "crawls or diverges; scale standard (after split) fixes it")              \
    X(OUTPUT_NOT_PROBABILITY, "output_not_probability", "10.1.9",               \
      "compile with a cross-entropy (from_logits=false) on an output whose "    \
      "activation is not sigmoid or softmax",                                   \
      "a cross-entropy takes the log of probabilities; relu or linear "         \
      "outputs are not probabilities (0 or below gives log 0 = -inf, then "    \
      "NaN)")                                                                   \
    X(SOFTMAX_ONE_UNIT, "softmax_one_unit", "10.1.9",                           \
      "compile with a softmax output of 1 unit",                                \
      "softmax over one unit is always 1, so the loss never moves; binary "    \
      "classification takes 1 sigmoid unit (binary_crossentropy) or 2 "        \
      "softmax units")                                                          \
    X(SIGMOID_SPARSE, "sigmoid_categorical", "10.1.9",                          \
      "compile with a sigmoid output of 2 or more units and "                   \
      "(sparse_)categorical_crossentropy",                                      \
      "sigmoid units are independent 0-1 scores that do not sum to 1; "         \
      "exclusive classes take softmax")                                         \
    X(REGRESSION_LOSS_ON_CLASSES, "regression_loss_on_classes", "10.1.9",       \
      "fit with mse, mae or huber on class labels of 3 or more classes (one "  \
      "output)",                                                                \
      "a regression loss treats class numbers as quantities (class 2 is "       \
      "'twice' class 1); classes take softmax and "                             \
      "sparse_categorical_crossentropy")                                        \
    X(UNITS_NOT_CLASSES, "units_not_classes", "10.1.9",                         \
      "fit with (sparse_)categorical_crossentropy on an output whose unit "     \
      "count is not the number of classes",                                     \
      "one output unit per class: the extra units are classes that never "     \
      "occur")                                                                  \
    X(SYMMETRIC_INIT, "symmetric_init", "10.1.4",                               \
      "compile with a hidden Dense layer of 2 or more units whose "             \
      "kernel_initializer is zeros, ones or constant",                          \
      "units that start equal get equal gradients and stay equal "              \
      "(symmetry): the layer acts as one unit; the weights must start "         \
      "random")                                                                 \
    X(LEARNING_RATE_HIGH, "learning_rate_high", "10.6",                         \
      "in a fit, the batch loss smoothed as lrfind does (0.9) rises to over "  \
      "4 times its lowest value, or the loss turns NaN or infinite (not from " \
      "a non-probability output)",                                              \
      "a rate too high makes each step overshoot the minimum, so the loss "     \
      "grows; lrfind shows the useful range")                                   \
    X(LEARNING_RATE_LOW, "learning_rate_low", "10.6",                           \
      "in the first 10 epochs of a model the epoch loss fell by less than "     \
      "1% of the first's, with a learning rate under 1/10 of the "              \
      "optimizer's Keras default",                                              \
      "a rate far below the useful range moves the weights so little that "    \
      "training hardly starts; lrfind shows the useful range")                  \
    X(OVERFITTING, "overfitting", "10.4",                                       \
      "val_loss over 1.1 times its lowest, 10 or more epochs after it, while " \
      "loss went on falling, and no earlystopping callback is set",             \
      "the model learns the training set by heart and gets worse on new "       \
      "data; early stopping keeps the best epoch's weights")                    \
    X(DEAD_RELU, "dead_relu", "10.1.5",                                         \
      "after a fit, over half the units of a relu layer (of 4 or more) "        \
      "output 0 for every one of the first 1000 training samples",              \
      "a dead relu unit has z <= 0 for every input, so its gradient is 0 "     \
      "and it never recovers; a lower learning rate, he_normal or "             \
      "leaky_relu helps")                                                       \
    X(VANISHING_GRADIENTS, "vanishing_gradients", "10.1.5",                     \
      "after a fit, the first layer's gradient norm (last batch) is under "    \
      "1/1000 of the last layer's",                                             \
      "the layers near the input hardly learn: saturating activations "         \
      "(sigmoid, tanh) shrink the gradient layer by layer; relu with "          \
      "he_normal keeps it")                                                     \
    X(TEST_SET_TUNING, "test_set_tuning", "10.2",                               \
      "the 3rd evaluate of the test split with a fit between each",             \
      "choosing settings by their test score tunes them to the test set, so "  \
      "its score no longer tells how the model does on new data; compare on " \
      "a validation set, evaluate test once at the end")                        \
    X(MAJORITY_CLASS, "majority_class", "10.1.8",                               \
      "after 10 or more epochs, the training accuracy was never above the "     \
      "share of the most frequent class",                                       \
      "always answering the most frequent class scores that much: the model "  \
      "has learned nothing yet")

#endif
