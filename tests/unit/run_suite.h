/* run_suite.h - the one way every unit test binary runs its suite. */
#ifndef PLEDGE_TEST_RUN_SUITE_H
#define PLEDGE_TEST_RUN_SUITE_H

#include <check.h>
#include <stdlib.h>

/* Runs s (taking ownership) and returns the process exit status:
 * EXIT_SUCCESS only when no test failed. */
static inline int run_suite(Suite *s)
{
    SRunner *sr = srunner_create(s);
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

#endif
