// The one place mpi.h is included. The C++ bindings of MPI-2 (removed in
// MPI-3) would drag in libmpi_cxx and clash with our own names, so they are
// switched off for both Open MPI and MPICH before the header is read.
#pragma once

#ifndef OMPI_SKIP_MPICXX
#define OMPI_SKIP_MPICXX 1
#endif
#ifndef MPICH_SKIP_MPICXX
#define MPICH_SKIP_MPICXX 1
#endif

#include <mpi.h>
