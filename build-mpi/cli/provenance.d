build-mpi/cli/provenance.o: cli/provenance.c cli/provenance.h \
 cli/../present/format.h cli/../present/../sim/engine.h \
 cli/../present/../sim/../model/error.h \
 cli/../present/../sim/../model/ledger.h \
 cli/../present/../sim/../model/financing.h \
 cli/../present/../sim/../model/scenario.h \
 cli/../present/../sim/../model/error.h \
 cli/../present/../sim/../model/scenario.h cli/../present/../sim/stats.h \
 build-mpi/build_info.h
cli/provenance.h:
cli/../present/format.h:
cli/../present/../sim/engine.h:
cli/../present/../sim/../model/error.h:
cli/../present/../sim/../model/ledger.h:
cli/../present/../sim/../model/financing.h:
cli/../present/../sim/../model/scenario.h:
cli/../present/../sim/../model/error.h:
cli/../present/../sim/../model/scenario.h:
cli/../present/../sim/stats.h:
build-mpi/build_info.h:
