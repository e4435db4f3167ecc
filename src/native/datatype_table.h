// MPI datatypes as small integer handles, as communicators are: the
// predefined types first (handles 0.., in the order of `predefinedTypes`),
// then the derived types made by the MPI_Type_create_* calls. Handles are
// never reused, so a freed handle is an error rather than another type.
#pragma once

#include <string>

#include "mpi_include.h"
#include "napi_include.h"

namespace mpiloop {

struct TypeEntry {
  MPI_Datatype type = MPI_DATATYPE_NULL;
  std::string name;  // "MPI_DOUBLE", "vector(DOUBLE)", for error messages
  int handle = -1;
  bool predefined = false;
  bool committed = false;
  // Layout in bytes (MPI_Type_size_x, MPI_Type_get_(true_)extent_x), read
  // once MPI is initialised.
  bool layout_known = false;
  MPI_Count size = 0;
  MPI_Count lb = 0, extent = 0;
  MPI_Count true_lb = 0, true_extent = 0;
};

// The datatype named by `value`: a handle number, or an object whose
// `datatypeHandle` is one (the TypeScript Datatype). TypeError/Error naming
// `name` for anything else or a freed handle; Error when MPI is not usable.
// With `for_communication`, the type must also be committed. The layout is
// filled in.
TypeEntry& GetDatatype(Napi::Env env, Napi::Value value, const char* name,
                       bool for_communication);

// Takes ownership of a new derived type; returns its handle.
int AddDatatype(MPI_Datatype type, std::string name);

}  // namespace mpiloop
