#include "collective_checks.h"

#include <climits>
#include <string>

#include "errors.h"

namespace mpiloop {

std::string Str(MPI_Count value) {
  return std::to_string(static_cast<long long>(value));
}

void CheckSameType(Napi::Env env, const BufferView& reference,
                   const char* reference_name, const BufferView& other,
                   const char* other_name) {
  if (reference.type == other.type) return;
  ThrowTypeError(env, std::string(other_name) +
                          " must have the same element type as " +
                          reference_name + " (" + reference.type_name +
                          "), got " + other.type_name);
}

// Per-rank counts are ints in MPI: larger blocks are rejected up front.
int IntCount(Napi::Env env, MPI_Count count, const char* what) {
  if (count > INT_MAX) {
    ThrowRangeError(env, std::string(what) + " is " + Str(count) +
                             " elements; this collective is limited to "
                             "INT_MAX (2147483647) elements per rank");
  }
  return static_cast<int>(count);
}

void CheckCapacity(Napi::Env env, const BufferView& buffer, const char* name,
                   MPI_Count needed) {
  if (buffer.count >= needed) return;
  ThrowRangeError(env, std::string(name) + " must hold at least " +
                           Str(needed) + " elements, got " + Str(buffer.count));
}

// counts/displs (in elements) must be `size` long and describe blocks
// inside a buffer of `capacity` elements.
void CheckLayout(Napi::Env env, const IntArray& counts, const char* counts_name,
                 const IntArray& displs, const char* displs_name, int size,
                 MPI_Count capacity, const char* buffer_name) {
  for (const auto* array : {&counts, &displs}) {
    const char* name = array == &counts ? counts_name : displs_name;
    if (array->length != static_cast<size_t>(size)) {
      ThrowRangeError(env, std::string(name) + " must have " +
                               std::to_string(size) +
                               " elements (one per rank it talks to), got " +
                               std::to_string(array->length));
    }
  }
  for (int i = 0; i < size; ++i) {
    int count = counts.data[i], displ = displs.data[i];
    std::string index = "[" + std::to_string(i) + "]";
    if (count < 0) {
      ThrowRangeError(env, counts_name + index + " must be >= 0, got " +
                               std::to_string(count));
    }
    if (displ < 0) {
      ThrowRangeError(env, displs_name + index + " must be >= 0, got " +
                               std::to_string(displ));
    }
    if (static_cast<MPI_Count>(displ) + count > capacity) {
      ThrowRangeError(env, std::string(displs_name) + index + " + " +
                               counts_name + index + " = " +
                               Str(static_cast<MPI_Count>(displ) + count) +
                               " exceeds " + buffer_name + " (" +
                               Str(capacity) + " elements)");
    }
  }
}

const void* SendPointer(bool present, const BufferView& view) {
  return present ? view.data : MPI_IN_PLACE;
}

int BlockPerPeer(Napi::Env env, const BufferView& buffer, const char* name,
                 const CommEntry& comm) {
  if (buffer.count % comm.Peers() != 0) {
    ThrowRangeError(env, std::string(name) + " length (" + Str(buffer.count) +
                             ") must be a multiple of the number of " +
                             (comm.inter ? "remote ranks (" : "ranks (") +
                             std::to_string(comm.Peers()) + ")");
  }
  return IntCount(env, buffer.count / comm.Peers(), "the per-rank block");
}

void NoInPlaceOnInter(Napi::Env env, const CommEntry& comm) {
  if (!comm.inter) return;
  ThrowTypeError(env,
                 "sendbuf must be an ArrayBufferView: an intercommunicator "
                 "has no in place");
}

Role RootRole(Napi::Env env, const CommEntry& comm, int root) {
  if (!comm.inter) {
    CheckRoot(env, root, comm.size);
    return comm.rank == root ? Role::kRoot : Role::kMember;
  }
  if (root == MPI_ROOT) return Role::kRoot;
  if (root == MPI_PROC_NULL) return Role::kNone;
  if (root >= 0 && root < comm.remote_size) return Role::kMember;
  ThrowRangeError(env, "root on an intercommunicator must be ROOT (" +
                           std::to_string(MPI_ROOT) + ") at the root, " +
                           "PROC_NULL (" + std::to_string(MPI_PROC_NULL) +
                           ") at the other ranks of its group, or the root's "
                           "rank in the remote group (0.." +
                           std::to_string(comm.remote_size - 1) + "), got " +
                           std::to_string(root));
}

}  // namespace mpiloop
