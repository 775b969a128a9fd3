/* cluster.h -- sibsim on several processes with MPI (make MPI=1): the
 * engine_cluster of sim/engine.h carried by MPI messages, and what a
 * process other than 0 does differently (it writes nothing).
 *
 * Built without MPI=1 these do nothing: cluster_start leaves the process
 * alone and cluster_finish returns the status it is given. */
#ifndef SIB_CLUSTER_H
#define SIB_CLUSTER_H

/* Join the cluster mpirun started (MPI_Init_thread, funnelled: only the
 * main thread talks), and when there are several processes make every
 * engine run part of it. A process other than 0 then writes nothing: its
 * standard output and error go to /dev/null (process 0 says everything
 * every process would say), and only a failure of its own -- one process
 * 0 cannot see -- is written, on the real standard error, before the
 * whole cluster run ends with it. */
void cluster_start(int *argc, char ***argv);

/* This process's rank (0 alone) and the number of processes (1 alone). */
int cluster_rank(void);
int cluster_size(void);

/* Leave the cluster (MPI_Finalize) and return status, the process's exit
 * status. */
int cluster_finish(int status);

#endif
