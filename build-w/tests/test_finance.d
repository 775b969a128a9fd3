build-w/tests/test_finance.o: tests/test_finance.c \
 tests/../model/finance.h
tests/../model/finance.h:
