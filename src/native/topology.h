// Process topologies (Cartesian, graph, distributed graph): what the
// neighbourhood collectives need to know about one.
#pragma once

#include "comm_table.h"
#include "napi_include.h"

namespace mpiloop {

struct Degrees {
  int in = 0;   // neighbours data comes from
  int out = 0;  // neighbours data goes to
};

// Error unless the communicator has a topology.
Degrees NeighborDegrees(Napi::Env env, const CommEntry& comm);

}  // namespace mpiloop
