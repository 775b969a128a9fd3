build-w/cli/cluster.o: cli/cluster.c cli/cluster.h
cli/cluster.h:
