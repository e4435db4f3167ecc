// The shared status buffer: a Float64Array registered by setStatusBuffer that
// receives [source, tag, countBytes, error, cancelled] after each receive,
// probe or completed test, so hot paths allocate nothing.
#pragma once

#include "mpi_include.h"
#include "napi_include.h"

namespace mpiloop {

// Bytes in the message described by status (MPI_Get_elements_x, MPI_BYTE).
double StatusBytes(const MPI_Status& status);
bool StatusCancelled(const MPI_Status& status);

// Writes a receive/probe status. `error` is passed separately because MPI
// leaves status.MPI_ERROR unset on success of single-completion calls.
void WriteStatus(napi_env env, const MPI_Status& status,
                 int error = MPI_SUCCESS);
void WriteStatusValues(napi_env env, double source, double tag,
                       double count_bytes, double error, bool cancelled);

// Drops the reference (env cleanup).
void ReleaseStatusBuffer(napi_env env);

}  // namespace mpiloop
