build-w/tests/test_stats.o: tests/test_stats.c tests/../sim/stats.h
tests/../sim/stats.h:
