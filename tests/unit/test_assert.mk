UNIT_SRCS_test_assert :=
