build-w/cli/progress.o: cli/progress.c cli/progress.h
cli/progress.h:
