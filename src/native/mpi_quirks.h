// MPI library bugs the binding works around:
// - neighbourhood alltoall on a periodic Cartesian dimension of size 1 or 2,
//   where a rank is its own or a double neighbour, matches that dimension's
//   two messages to each other's receive block: MPICH 4.0, blocking and
//   nonblocking; Open MPI 4 (libnbc), the nonblocking forms only;
// - MPICH 4.0: Ibcast on an intercommunicator from a root other than rank 0
//   of its group delivers nothing.
#pragma once

#include <vector>

#include "comm_table.h"
#include "mpi_include.h"

namespace mpiloop {

#if defined(MPICH_VERSION)
constexpr bool kMpichQuirks = true;
#else
constexpr bool kMpichQuirks = false;
#endif

// The dimensions k whose receive blocks 2k and 2k + 1 the MPI fills from each
// other's message in a neighbourhood alltoall (blocking or not): the periodic
// Cartesian dimensions of size 1 or 2. Empty where the MPI has no such bug,
// and on other topologies.
std::vector<int> CrossedNeighborDims(const CommEntry& comm, bool nonblocking);

// Swaps entries 2k and 2k + 1 of `layout` for each k in `dims`, so that the
// MPI receives each message at the place and length of the block it is for.
void SwapCrossedBlocks(std::vector<int>& layout, const std::vector<int>& dims);

// MPI_Ibcast on an intercommunicator as an MPI_Ialltoallv in which only the
// root sends (`count` of `type` to every remote rank) and the remote group
// receives from it: every rank of both groups takes part, as in MPI_Ibcast.
// `counts` holds the four count/displacement arrays MPI reads until the
// request completes.
int IntercommIbcast(void* buf, int count, MPI_Datatype type, int root,
                    const CommEntry& comm,
                    std::vector<std::vector<int>>& counts,
                    MPI_Request* request);

}  // namespace mpiloop
