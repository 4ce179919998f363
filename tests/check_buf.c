/* check_buf.c - the growing text buffer (nn/buf.h). */
#include <stdlib.h>
#include <string.h>
#include "check_util.h"
#include "buf.h"

START_TEST(test_buf_grows)
{
    nn_buf b;
    nn_buf_init(&b);
    ck_assert_str_eq(nn_buf_str(&b), "");
    /* past the first 256 bytes and past printf's small buffer */
    for (int i = 0; i < 1000; i++)
        nn_buf_printf(&b, "%d,", i % 10);
    ck_assert_uint_eq(b.len, 2000);
    ck_assert_int_eq(b.oom, 0);
    ck_assert(strncmp(nn_buf_str(&b), "0,1,2,", 6) == 0);
    char big[600];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = 0;
    nn_buf_clear(&b);
    nn_buf_printf(&b, "<%s>", big);
    ck_assert_uint_eq(b.len, 601);
    ck_assert_int_eq(nn_buf_str(&b)[600], '>');
    nn_buf_clear(&b);
    nn_buf_puts(&b, "ab");
    nn_buf_putc(&b, 'c');
    nn_buf_add(&b, "def", 2);
    ck_assert_str_eq(nn_buf_str(&b), "abcde");
    char *s = nn_buf_take(&b);
    ck_assert_str_eq(s, "abcde");
    ck_assert_ptr_null(b.s);
    free(s);
    s = nn_buf_take(&b);          /* empty: "" the caller frees */
    ck_assert_str_eq(s, "");
    free(s);
    nn_buf_free(&b);
}
END_TEST

START_TEST(test_buf_oom_sticks)
{
    nn_buf b;
    nn_buf_init(&b);
    nn_buf_puts(&b, "ok");
    b.oom = 1;                    /* as after a failed realloc */
    nn_buf_puts(&b, "lost");
    ck_assert_str_eq(nn_buf_str(&b), "ok");
    ck_assert_ptr_null(nn_buf_take(&b));
    nn_buf_free(&b);
}
END_TEST

Suite *suite_buf(void)
{
    Suite *s = suite_create("buf");
    TCase *tc = tcase_create("buf");
    tcase_add_test(tc, test_buf_grows);
    tcase_add_test(tc, test_buf_oom_sticks);
    suite_add_tcase(s, tc);
    return s;
}
