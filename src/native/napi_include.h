// node-addon-api with C++ exceptions: argument and MPI errors are thrown as
// Napi::Error and become JS exceptions at the function boundary.
#pragma once

#ifndef NAPI_VERSION
#define NAPI_VERSION 8
#endif
#ifndef NAPI_CPP_EXCEPTIONS
#define NAPI_CPP_EXCEPTIONS
#endif

#include <napi.h>
