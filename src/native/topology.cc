// Process topologies: MPI_Cart_* and MPI_Dims_create, MPI_Graph_*,
// MPI_Dist_graph_*, MPI_Topo_test. Shapes are validated first, so a bad
// dims or a coordinate out of the grid is a RangeError naming it.
#include "topology.h"

#include <string>
#include <vector>

#include "args.h"
#include "blocking.h"
#include "environment.h"
#include "errors.h"
#include "info.h"
#include "modules.h"

namespace mpiloop {
namespace {

int TopoKind(const CommEntry& comm) {
  int kind = MPI_UNDEFINED;
  MPI_Topo_test(comm.comm, &kind);
  return kind;
}

void RequireKind(Napi::Env env, const CommEntry& comm, int kind,
                 const char* what) {
  if (comm.inter || TopoKind(comm) != kind) {
    ThrowError(env, std::string(what) + ": the communicator has no " +
                        (kind == MPI_CART    ? "Cartesian"
                         : kind == MPI_GRAPH ? "graph"
                                             : "distributed graph") +
                        " topology");
  }
}

void RequireIntra(Napi::Env env, const CommEntry& comm, const char* what) {
  if (comm.inter) {
    ThrowError(env, std::string(what) + ": needs an intracommunicator");
  }
}

Napi::Int32Array ToArray(Napi::Env env, const std::vector<int>& values) {
  Napi::Int32Array out = Napi::Int32Array::New(env, values.size());
  for (size_t i = 0; i < values.size(); ++i) out[i] = values[i];
  return out;
}

Napi::Value Adopt(Napi::Env env, MPI_Comm comm) {
  if (comm == MPI_COMM_NULL) return Napi::Number::New(env, -1);
  return Napi::Number::New(env, AddComm(env, comm));
}

bool ArgBool(const Napi::CallbackInfo& info, size_t index, const char* name) {
  if (!info[index].IsBoolean()) {
    ThrowTypeError(info.Env(), std::string(name) + " must be a boolean");
  }
  return info[index].As<Napi::Boolean>().Value();
}

int Cartdim(const CommEntry& comm) {
  int ndims = 0;
  MPI_Cartdim_get(comm.comm, &ndims);
  return ndims;
}

// cartCreate(comm, dims, periods, reorder) -> handle, or -1 on the ranks
// left out of the grid.
Napi::Value CartCreate(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CommEntry comm = GetComm(env, info[0]);
  RequireIntra(env, comm, "createCart");
  IntArray dims = ArgIntArray(env, info[1], "dims", false);
  IntArray periods = ArgIntArray(env, info[2], "periods", false);
  bool reorder = ArgBool(info, 3, "reorder");
  if (periods.length != dims.length) {
    ThrowRangeError(env, "periods must have as many entries as dims (" +
                             std::to_string(dims.length) + "), got " +
                             std::to_string(periods.length));
  }
  long long product = 1;
  for (size_t i = 0; i < dims.length; ++i) {
    if (dims.data[i] <= 0) {
      ThrowRangeError(env, "dims[" + std::to_string(i) + "] must be > 0, got " +
                               std::to_string(dims.data[i]));
    }
    product *= dims.data[i];
    if (product > comm.size) break;
  }
  if (product > comm.size) {
    ThrowRangeError(env, "the grid has more positions than the " +
                             std::to_string(comm.size) +
                             " ranks of the communicator");
  }
  MPI_Comm cart = MPI_COMM_NULL;
  RunBlocking(env, "MPI_Cart_create", [&] {
    return MPI_Cart_create(comm.comm, static_cast<int>(dims.length), dims.data,
                           periods.data, reorder ? 1 : 0, &cart);
  });
  return Adopt(env, cart);
}

// dimsCreate(nnodes, dims) -> a new Int32Array: the zeros of dims filled in.
Napi::Value DimsCreate(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  RequireMpi(env);
  int nnodes = ArgInt(info, 0, "nnodes");
  IntArray dims = ArgIntArray(env, info[1], "dims", false);
  if (nnodes < 1) {
    ThrowRangeError(env, "nnodes must be >= 1, got " + std::to_string(nnodes));
  }
  long long fixed = 1;
  for (size_t i = 0; i < dims.length; ++i) {
    if (dims.data[i] < 0) {
      ThrowRangeError(env, "dims[" + std::to_string(i) +
                               "] must be >= 0 (0 = free), got " +
                               std::to_string(dims.data[i]));
    }
    if (dims.data[i] > 0) fixed *= dims.data[i];
  }
  if (nnodes % fixed != 0) {
    ThrowRangeError(env, "nnodes (" + std::to_string(nnodes) +
                             ") is not a multiple of the product of the "
                             "fixed dims (" +
                             std::to_string(fixed) + ")");
  }
  std::vector<int> out(dims.data, dims.data + dims.length);
  CheckMpi(env,
           MPI_Dims_create(nnodes, static_cast<int>(out.size()), out.data()),
           "MPI_Dims_create");
  return ToArray(env, out);
}

// cartGet(comm) -> { dims, periods, coords }
Napi::Value CartGet(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CommEntry comm = GetComm(env, info[0]);
  RequireKind(env, comm, MPI_CART, "cartGet");
  int ndims = Cartdim(comm);
  std::vector<int> dims(ndims), periods(ndims), coords(ndims);
  CheckMpi(env,
           MPI_Cart_get(comm.comm, ndims, dims.data(), periods.data(),
                        coords.data()),
           "MPI_Cart_get");
  Napi::Object out = Napi::Object::New(env);
  out.Set("dims", ToArray(env, dims));
  out.Set("periods", ToArray(env, periods));
  out.Set("coords", ToArray(env, coords));
  return out;
}

Napi::Value CartRank(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CommEntry comm = GetComm(env, info[0]);
  RequireKind(env, comm, MPI_CART, "getCartRank");
  IntArray coords = ArgIntArray(env, info[1], "coords", false);
  int ndims = Cartdim(comm);
  if (coords.length != static_cast<size_t>(ndims)) {
    ThrowRangeError(env, "coords must have " + std::to_string(ndims) +
                             " entries (one per dimension), got " +
                             std::to_string(coords.length));
  }
  std::vector<int> dims(ndims), periods(ndims), mine(ndims);
  MPI_Cart_get(comm.comm, ndims, dims.data(), periods.data(), mine.data());
  for (int i = 0; i < ndims; ++i) {
    int c = coords.data[i];
    if (!periods[i] && (c < 0 || c >= dims[i])) {
      ThrowRangeError(env, "coords[" + std::to_string(i) +
                               "] = " + std::to_string(c) +
                               " is outside the non-periodic dimension 0.." +
                               std::to_string(dims[i] - 1));
    }
  }
  int rank = 0;
  CheckMpi(env, MPI_Cart_rank(comm.comm, coords.data, &rank), "MPI_Cart_rank");
  return Napi::Number::New(env, rank);
}

Napi::Value CartCoords(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CommEntry comm = GetComm(env, info[0]);
  RequireKind(env, comm, MPI_CART, "getCoords");
  int rank = ArgInt(info, 1, "rank");
  CheckRoot(env, rank, comm.size);
  int ndims = Cartdim(comm);
  std::vector<int> coords(ndims);
  CheckMpi(env, MPI_Cart_coords(comm.comm, rank, ndims, coords.data()),
           "MPI_Cart_coords");
  return ToArray(env, coords);
}

// cartShift(comm, direction, disp) -> [source, dest] (PROC_NULL off the
// edge of a non-periodic dimension).
Napi::Value CartShift(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CommEntry comm = GetComm(env, info[0]);
  RequireKind(env, comm, MPI_CART, "shift");
  int direction = ArgInt(info, 1, "direction");
  int disp = ArgInt(info, 2, "disp");
  int ndims = Cartdim(comm);
  if (direction < 0 || direction >= ndims) {
    ThrowRangeError(env, "direction must be in 0.." +
                             std::to_string(ndims - 1) + ", got " +
                             std::to_string(direction));
  }
  int source = MPI_PROC_NULL, dest = MPI_PROC_NULL;
  CheckMpi(env, MPI_Cart_shift(comm.comm, direction, disp, &source, &dest),
           "MPI_Cart_shift");
  Napi::Array out = Napi::Array::New(env, 2);
  out.Set(0u, Napi::Number::New(env, source));
  out.Set(1u, Napi::Number::New(env, dest));
  return out;
}

Napi::Value CartSub(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CommEntry comm = GetComm(env, info[0]);
  RequireKind(env, comm, MPI_CART, "sub");
  IntArray remain = ArgIntArray(env, info[1], "remainDims", false);
  int ndims = Cartdim(comm);
  if (remain.length != static_cast<size_t>(ndims)) {
    ThrowRangeError(env, "remainDims must have " + std::to_string(ndims) +
                             " entries (one per dimension), got " +
                             std::to_string(remain.length));
  }
  MPI_Comm sub = MPI_COMM_NULL;
  RunBlocking(env, "MPI_Cart_sub",
              [&] { return MPI_Cart_sub(comm.comm, remain.data, &sub); });
  return Adopt(env, sub);
}

Napi::Value TopoTest(const Napi::CallbackInfo& info) {
  CommEntry comm = GetComm(info.Env(), info[0]);
  return Napi::Number::New(info.Env(),
                           comm.inter ? MPI_UNDEFINED : TopoKind(comm));
}

// graphCreate(comm, index, edges, reorder) -> handle or -1.
Napi::Value GraphCreate(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CommEntry comm = GetComm(env, info[0]);
  RequireIntra(env, comm, "createGraph");
  IntArray index = ArgIntArray(env, info[1], "index", false);
  IntArray edges = ArgIntArray(env, info[2], "edges", false);
  bool reorder = ArgBool(info, 3, "reorder");
  int nnodes = static_cast<int>(index.length);
  if (nnodes > comm.size) {
    ThrowRangeError(env, "the graph has " + std::to_string(nnodes) +
                             " nodes, more than the communicator's " +
                             std::to_string(comm.size) + " ranks");
  }
  int previous = 0;
  for (int i = 0; i < nnodes; ++i) {
    if (index.data[i] < previous) {
      ThrowRangeError(env, "index must be non-decreasing (index[" +
                               std::to_string(i) +
                               "] = " + std::to_string(index.data[i]) + ")");
    }
    previous = index.data[i];
  }
  if (static_cast<size_t>(previous) != edges.length) {
    ThrowRangeError(env, "the last entry of index (" +
                             std::to_string(previous) +
                             ") must equal the number of edges (" +
                             std::to_string(edges.length) + ")");
  }
  for (size_t i = 0; i < edges.length; ++i) {
    if (edges.data[i] < 0 || edges.data[i] >= nnodes) {
      ThrowRangeError(env, "edges[" + std::to_string(i) +
                               "] = " + std::to_string(edges.data[i]) +
                               " is not a node of the graph");
    }
  }
  MPI_Comm graph = MPI_COMM_NULL;
  RunBlocking(env, "MPI_Graph_create", [&] {
    return MPI_Graph_create(comm.comm, nnodes, index.data, edges.data,
                            reorder ? 1 : 0, &graph);
  });
  return Adopt(env, graph);
}

// graphNeighbors(comm, rank) -> Int32Array
Napi::Value GraphNeighbors(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CommEntry comm = GetComm(env, info[0]);
  RequireKind(env, comm, MPI_GRAPH, "graphNeighbors");
  int rank = ArgInt(info, 1, "rank");
  CheckRoot(env, rank, comm.size);
  int n = 0;
  CheckMpi(env, MPI_Graph_neighbors_count(comm.comm, rank, &n),
           "MPI_Graph_neighbors_count");
  std::vector<int> neighbors(n);
  CheckMpi(env, MPI_Graph_neighbors(comm.comm, rank, n, neighbors.data()),
           "MPI_Graph_neighbors");
  return ToArray(env, neighbors);
}

// Ranks listed as neighbours must be ranks of the communicator.
void CheckRanks(Napi::Env env, const IntArray& ranks, int size,
                const char* name) {
  for (size_t i = 0; i < ranks.length; ++i) {
    if (ranks.data[i] < 0 || ranks.data[i] >= size) {
      ThrowRangeError(env, std::string(name) + "[" + std::to_string(i) +
                               "] = " + std::to_string(ranks.data[i]) +
                               " is not a rank of the communicator (0.." +
                               std::to_string(size - 1) + ")");
    }
  }
}

// Weights: null (MPI_UNWEIGHTED) or one per edge.
const int* Weights(Napi::Env env, const IntArray& weights, size_t edges,
                   const char* name) {
  if (!weights.present) return MPI_UNWEIGHTED;
  if (weights.length != edges) {
    ThrowRangeError(env, std::string(name) + " must have one entry per edge (" +
                             std::to_string(edges) + "), got " +
                             std::to_string(weights.length));
  }
  // MPI forbids a null pointer for zero weighted edges: any valid address.
  static const int kNoWeights = 0;
  return edges == 0 ? &kNoWeights : weights.data;
}

// distGraphCreateAdjacent(comm, sources, sourceweights, destinations,
// destweights, info, reorder) -> handle
Napi::Value DistGraphCreateAdjacent(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CommEntry comm = GetComm(env, info[0]);
  RequireIntra(env, comm, "createDistGraphAdjacent");
  IntArray sources = ArgIntArray(env, info[1], "sources", false);
  IntArray sweights = ArgIntArray(env, info[2], "sourceWeights", true);
  IntArray dests = ArgIntArray(env, info[3], "destinations", false);
  IntArray dweights = ArgIntArray(env, info[4], "destWeights", true);
  MPI_Info mpi_info = GetInfoOrNull(env, info[5], "info");
  bool reorder = ArgBool(info, 6, "reorder");
  CheckRanks(env, sources, comm.size, "sources");
  CheckRanks(env, dests, comm.size, "destinations");
  if (sweights.present != dweights.present) {
    ThrowTypeError(env,
                   "sourceWeights and destWeights must be both given or both "
                   "null");
  }
  const int* sw = Weights(env, sweights, sources.length, "sourceWeights");
  const int* dw = Weights(env, dweights, dests.length, "destWeights");
  MPI_Comm graph = MPI_COMM_NULL;
  RunBlocking(env, "MPI_Dist_graph_create_adjacent", [&] {
    return MPI_Dist_graph_create_adjacent(
        comm.comm, static_cast<int>(sources.length), sources.data, sw,
        static_cast<int>(dests.length), dests.data, dw, mpi_info,
        reorder ? 1 : 0, &graph);
  });
  return Adopt(env, graph);
}

// distGraphCreate(comm, sources, degrees, destinations, weights, info,
// reorder) -> handle
Napi::Value DistGraphCreate(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CommEntry comm = GetComm(env, info[0]);
  RequireIntra(env, comm, "createDistGraph");
  IntArray sources = ArgIntArray(env, info[1], "sources", false);
  IntArray degrees = ArgIntArray(env, info[2], "degrees", false);
  IntArray dests = ArgIntArray(env, info[3], "destinations", false);
  IntArray weights = ArgIntArray(env, info[4], "weights", true);
  MPI_Info mpi_info = GetInfoOrNull(env, info[5], "info");
  bool reorder = ArgBool(info, 6, "reorder");
  if (degrees.length != sources.length) {
    ThrowRangeError(env, "degrees must have one entry per source (" +
                             std::to_string(sources.length) + "), got " +
                             std::to_string(degrees.length));
  }
  size_t edges = 0;
  for (size_t i = 0; i < degrees.length; ++i) {
    if (degrees.data[i] < 0) {
      ThrowRangeError(env, "degrees[" + std::to_string(i) +
                               "] must be >= 0, got " +
                               std::to_string(degrees.data[i]));
    }
    edges += static_cast<size_t>(degrees.data[i]);
  }
  if (edges != dests.length) {
    ThrowRangeError(
        env, "destinations must have sum(degrees) = " + std::to_string(edges) +
                 " entries, got " + std::to_string(dests.length));
  }
  CheckRanks(env, sources, comm.size, "sources");
  CheckRanks(env, dests, comm.size, "destinations");
  const int* w = Weights(env, weights, edges, "weights");
  MPI_Comm graph = MPI_COMM_NULL;
  RunBlocking(env, "MPI_Dist_graph_create", [&] {
    return MPI_Dist_graph_create(comm.comm, static_cast<int>(sources.length),
                                 sources.data, degrees.data, dests.data, w,
                                 mpi_info, reorder ? 1 : 0, &graph);
  });
  return Adopt(env, graph);
}

// distGraphNeighbors(comm) -> { sources, destinations, sourceWeights?,
// destWeights? } (the weights only for a weighted graph)
Napi::Value DistGraphNeighbors(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CommEntry comm = GetComm(env, info[0]);
  RequireKind(env, comm, MPI_DIST_GRAPH, "distGraphNeighbors");
  int in = 0, out = 0, weighted = 0;
  CheckMpi(env, MPI_Dist_graph_neighbors_count(comm.comm, &in, &out, &weighted),
           "MPI_Dist_graph_neighbors_count");
  // One spare entry each: MPI may not accept null arrays for degree 0.
  std::vector<int> sources(in + 1), sw(in + 1), dests(out + 1), dw(out + 1);
  CheckMpi(env,
           MPI_Dist_graph_neighbors(comm.comm, in, sources.data(),
                                    weighted ? sw.data() : MPI_UNWEIGHTED, out,
                                    dests.data(),
                                    weighted ? dw.data() : MPI_UNWEIGHTED),
           "MPI_Dist_graph_neighbors");
  sources.resize(in);
  sw.resize(in);
  dests.resize(out);
  dw.resize(out);
  Napi::Object result = Napi::Object::New(env);
  result.Set("sources", ToArray(env, sources));
  result.Set("destinations", ToArray(env, dests));
  if (weighted) {
    result.Set("sourceWeights", ToArray(env, sw));
    result.Set("destWeights", ToArray(env, dw));
  }
  return result;
}

}  // namespace

Degrees NeighborDegrees(Napi::Env env, const CommEntry& comm) {
  Degrees d;
  int kind = comm.inter ? MPI_UNDEFINED : TopoKind(comm);
  if (kind == MPI_CART) {
    d.in = d.out = 2 * Cartdim(comm);
  } else if (kind == MPI_GRAPH) {
    int n = 0;
    MPI_Graph_neighbors_count(comm.comm, comm.rank, &n);
    d.in = d.out = n;
  } else if (kind == MPI_DIST_GRAPH) {
    int weighted = 0;
    MPI_Dist_graph_neighbors_count(comm.comm, &d.in, &d.out, &weighted);
  } else {
    ThrowError(env,
               "neighbourhood collectives need a communicator with a "
               "topology (createCart, createGraph, createDistGraph)");
  }
  return d;
}

void RegisterTopologies(Napi::Env env, Napi::Object exports) {
  auto set = [&](const char* name, Napi::Function::Callback fn) {
    exports.Set(name, Napi::Function::New(env, fn, name));
  };
  set("cartCreate", CartCreate);
  set("dimsCreate", DimsCreate);
  set("cartGet", CartGet);
  set("cartRank", CartRank);
  set("cartCoords", CartCoords);
  set("cartShift", CartShift);
  set("cartSub", CartSub);
  set("topoTest", TopoTest);
  set("graphCreate", GraphCreate);
  set("graphNeighbors", GraphNeighbors);
  set("distGraphCreateAdjacent", DistGraphCreateAdjacent);
  set("distGraphCreate", DistGraphCreate);
  set("distGraphNeighbors", DistGraphNeighbors);
}

}  // namespace mpiloop
