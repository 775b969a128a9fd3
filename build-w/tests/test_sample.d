build-w/tests/test_sample.o: tests/test_sample.c tests/../sim/sample.h \
 tests/../sim/../model/scenario.h tests/../sim/../model/error.h
tests/../sim/sample.h:
tests/../sim/../model/scenario.h:
tests/../sim/../model/error.h:
