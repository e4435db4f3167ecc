// The buffer attached for buffered sends (MPI_Buffer_attach/detach). MPI
// writes into it until it is detached, so the JS view stays referenced.
#pragma once

#include "napi_include.h"

namespace mpiloop {

// Bytes attached; 0 when no buffer is attached.
double AttachedBufferBytes();
// Env teardown, after MPI_Finalize (which detaches implicitly).
void ReleaseAttachedBuffer(napi_env env);

}  // namespace mpiloop
