// Workarounds for MPI library bugs; see mpi_quirks.h.
#include "mpi_quirks.h"

#include <utility>

namespace mpiloop {

namespace {
// Which neighbourhood alltoall forms cross the blocks (reproduced in C).
#if defined(MPICH_VERSION)
constexpr bool kCrossesBlocking = true, kCrossesNonblocking = true;
#elif defined(OMPI_MAJOR_VERSION) && OMPI_MAJOR_VERSION <= 4
constexpr bool kCrossesBlocking = false, kCrossesNonblocking = true;
#else
constexpr bool kCrossesBlocking = false, kCrossesNonblocking = false;
#endif
}  // namespace

std::vector<int> CrossedNeighborDims(const CommEntry& comm, bool nonblocking) {
  std::vector<int> crossed;
  if (!(nonblocking ? kCrossesNonblocking : kCrossesBlocking) || comm.inter)
    return crossed;
  int kind = MPI_UNDEFINED;
  MPI_Topo_test(comm.comm, &kind);
  if (kind != MPI_CART) return crossed;
  int ndims = 0;
  MPI_Cartdim_get(comm.comm, &ndims);
  if (ndims == 0) return crossed;
  std::vector<int> dims(ndims), periods(ndims), coords(ndims);
  MPI_Cart_get(comm.comm, ndims, dims.data(), periods.data(), coords.data());
  for (int k = 0; k < ndims; k++) {
    if (periods[k] && dims[k] <= 2) crossed.push_back(k);
  }
  return crossed;
}

void SwapCrossedBlocks(std::vector<int>& layout, const std::vector<int>& dims) {
  for (int k : dims) std::swap(layout[2 * k], layout[2 * k + 1]);
}

int IntercommIbcast(void* buf, int count, MPI_Datatype type, int root,
                    const CommEntry& comm,
                    std::vector<std::vector<int>>& counts,
                    MPI_Request* request) {
  // Distinct never-touched addresses for the sides that move nothing (MPI
  // forbids a send buffer aliasing the receive buffer).
  static char unused_send, unused_recv;
  int peers = comm.remote_size;
  counts.assign(4, std::vector<int>(peers, 0));
  std::vector<int>& send_counts = counts[0];
  std::vector<int>& recv_counts = counts[2];
  void* send = &unused_send;
  void* recv = &unused_recv;
  if (root == MPI_ROOT) {
    send = buf;
    send_counts.assign(peers, count);
  } else if (root >= 0) {
    recv = buf;
    recv_counts[root] = count;
  }
  return MPI_Ialltoallv(send, counts[0].data(), counts[1].data(), type, recv,
                        counts[2].data(), counts[3].data(), type, comm.comm,
                        request);
}

}  // namespace mpiloop
