build-mpi/cli/progress.o: cli/progress.c cli/progress.h
cli/progress.h:
