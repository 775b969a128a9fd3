build-w/cli/library.o: cli/library.c cli/library.h \
 cli/../model/scenario.h cli/../model/error.h build-w/build_info.h
cli/library.h:
cli/../model/scenario.h:
cli/../model/error.h:
build-w/build_info.h:
