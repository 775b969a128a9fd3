build-mpi/cli/library.o: cli/library.c cli/library.h \
 cli/../model/scenario.h cli/../model/error.h build-mpi/build_info.h
cli/library.h:
cli/../model/scenario.h:
cli/../model/error.h:
build-mpi/build_info.h:
