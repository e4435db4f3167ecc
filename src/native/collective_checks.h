// Shape checks shared by the collective families (the blocking and
// nonblocking specs, neighbourhood):
// a mismatch becomes a TypeError/RangeError naming the argument before any
// MPI call. And the root semantics of rooted collectives, which differ on an
// intercommunicator (ROOT at the root, PROC_NULL at its group's other ranks,
// the root's rank in the remote group elsewhere).
#pragma once

#include <string>

#include "args.h"
#include "comm_table.h"
#include "datatype.h"
#include "mpi_include.h"
#include "napi_include.h"

namespace mpiloop {

std::string Str(MPI_Count value);
// TypeError unless `other` has the element type of `reference`.
void CheckSameType(Napi::Env env, const BufferView& reference,
                   const char* reference_name, const BufferView& other,
                   const char* other_name);
// Per-rank counts are ints in MPI: larger blocks are rejected up front.
int IntCount(Napi::Env env, MPI_Count count, const char* what);
void CheckCapacity(Napi::Env env, const BufferView& buffer, const char* name,
                   MPI_Count needed);
// counts/displs (in elements) must be `size` long and describe blocks inside
// a buffer of `capacity` elements.
void CheckLayout(Napi::Env env, const IntArray& counts, const char* counts_name,
                 const IntArray& displs, const char* displs_name, int size,
                 MPI_Count capacity, const char* buffer_name);
// A present send buffer, or MPI_IN_PLACE.
const void* SendPointer(bool present, const BufferView& view);
// The elements of one block when `buffer` holds one block per peer
// (Peers()); RangeError unless it holds a whole number of them.
int BlockPerPeer(Napi::Env env, const BufferView& buffer, const char* name,
                 const CommEntry& comm);
// Error for an in-place (null) send buffer on an intercommunicator.
void NoInPlaceOnInter(Napi::Env env, const CommEntry& comm);

// What a rank does in a rooted collective.
enum class Role {
  kRoot,    // the root
  kMember,  // sends to / receives from the root
  kNone,    // intercommunicator: the root's group, not the root (PROC_NULL)
};
// Validates root for the communicator kind and says what this rank does.
Role RootRole(Napi::Env env, const CommEntry& comm, int root);

}  // namespace mpiloop
