build-mpi/tui/model.o: tui/model.c tui/model.h tui/../model/document.h \
 tui/../model/scenario.h tui/../model/error.h tui/../sim/stats.h
tui/model.h:
tui/../model/document.h:
tui/../model/scenario.h:
tui/../model/error.h:
tui/../sim/stats.h:
