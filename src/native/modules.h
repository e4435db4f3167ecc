// Each MPI concept adds its functions to the exports object; addon.cc calls
// these in order and owns the env cleanup sequence.
#pragma once

#include "napi_include.h"

namespace mpiloop {

void RegisterConstants(Napi::Env env, Napi::Object exports);
void RegisterErrors(Napi::Env env, Napi::Object exports);
void RegisterEnvironment(Napi::Env env, Napi::Object exports);
void RegisterStatus(Napi::Env env, Napi::Object exports);
void RegisterCommunicators(Napi::Env env, Napi::Object exports);
void RegisterPointToPoint(Napi::Env env, Napi::Object exports);
void RegisterRequests(Napi::Env env, Napi::Object exports);
void RegisterCollectives(Napi::Env env, Napi::Object exports);
void RegisterNonblockingCollectives(Napi::Env env, Napi::Object exports);
void RegisterUserOps(Napi::Env env, Napi::Object exports);
void RegisterWatchdog(Napi::Env env, Napi::Object exports);
void RegisterHeartbeat(Napi::Env env, Napi::Object exports);
void RegisterSpawn(Napi::Env env, Napi::Object exports);
void RegisterGroups(Napi::Env env, Napi::Object exports);
void RegisterInfo(Napi::Env env, Napi::Object exports);
void RegisterCommManagement(Napi::Env env, Napi::Object exports);
void RegisterIntercomm(Napi::Env env, Napi::Object exports);
void RegisterTopologies(Napi::Env env, Napi::Object exports);
void RegisterNeighbor(Napi::Env env, Napi::Object exports);
void RegisterErrorClasses(Napi::Env env, Napi::Object exports);
void RegisterSendModes(Napi::Env env, Napi::Object exports);
void RegisterBsendBuffer(Napi::Env env, Napi::Object exports);
void RegisterPersistentRequests(Napi::Env env, Napi::Object exports);
void RegisterMatchedProbe(Napi::Env env, Napi::Object exports);
// Env teardown of the persistent requests' buffer references.
void ReleasePersistentRequests(napi_env env);
void RegisterReceiveMemory(Napi::Env env, Napi::Object exports);
void RegisterDatatypes(Napi::Env env, Napi::Object exports);
void RegisterWindows(Napi::Env env, Napi::Object exports);
void RegisterFiles(Napi::Env env, Napi::Object exports);
void RegisterSharedWords(Napi::Env env, Napi::Object exports);

}  // namespace mpiloop
