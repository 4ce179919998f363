/* placeholder */ typedef int nn_placeholder_idx;
