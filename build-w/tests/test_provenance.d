build-w/tests/test_provenance.o: tests/test_provenance.c \
 tests/../cli/provenance.h
tests/../cli/provenance.h:
