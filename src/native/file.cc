// Parallel I/O (mpi4py's File): files as integer handles, opening and
// closing, the view, and the data-access family (explicit offsets,
// individual file pointer, their collective forms, and the nonblocking
// explicit-offset forms, which complete through the request poller). Every
// MPI error names the file's path.
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "args.h"
#include "blocking.h"
#include "comm_table.h"
#include "datatype.h"
#include "datatype_table.h"
#include "environment.h"
#include "errors.h"
#include "info_args.h"
#include "modules.h"
#include "requests.h"
#include "status.h"

namespace mpiloop {
namespace {

struct FileEntry {
  MPI_File file = MPI_FILE_NULL;
  std::string path;
};

std::vector<std::unique_ptr<FileEntry>>& Table() {
  static std::vector<std::unique_ptr<FileEntry>> table;
  return table;
}

FileEntry& GetFile(Napi::Env env, Napi::Value value) {
  RequireMpi(env);
  auto& table = Table();
  size_t index = 0;
  if (!HandleIndex(value, table.size(), &index)) {
    ThrowTypeError(env, "file must be a file handle");
  }
  FileEntry& entry = *table[index];
  if (entry.file == MPI_FILE_NULL) {
    ThrowError(env, "the file " + entry.path + " has been closed");
  }
  return entry;
}

// The MPIError of `rc`, its message prefixed with the path.
[[noreturn]] void ThrowFileError(Napi::Env env, int rc, const char* function,
                                 const std::string& path) {
  Napi::Error error = MakeMpiError(env, rc, function);
  Napi::Object object = error.Value();
  std::string message = object.Get("message").ToString().Utf8Value();
  std::string prefixed = std::string(function) + " " + path + ": " + message;
  object.Set("message", Napi::String::New(env, prefixed));
  Napi::Value stack = object.Get("stack");
  if (stack.IsString()) {
    std::string text = stack.As<Napi::String>().Utf8Value();
    size_t at = text.find(message);
    if (at != std::string::npos) text.replace(at, message.size(), prefixed);
    object.Set("stack", Napi::String::New(env, text));
  }
  object.Set("path", Napi::String::New(env, path));
  throw error;
}

template <typename Call>
void RunFile(Napi::Env env, const char* function, const std::string& path,
             Call call) {
  int rc;
  {
    BlockingSection section;
    rc = call();
  }
  if (rc != MPI_SUCCESS) ThrowFileError(env, rc, function, path);
}

std::string ArgPath(Napi::Env env, Napi::Value value) {
  if (!value.IsString()) ThrowTypeError(env, "path must be a string");
  std::string path = value.As<Napi::String>().Utf8Value();
  if (path.empty()) ThrowTypeError(env, "path must not be empty");
  return path;
}

MPI_Offset ArgOffset(const Napi::CallbackInfo& info, size_t index,
                     const char* name) {
  double number = ArgNonNegative(info, index, name);
  if (number != std::trunc(number) || number > 9007199254740991.0) {
    ThrowRangeError(info.Env(), std::string(name) +
                                    " must be an integer >= 0, got " +
                                    FormatNumber(number));
  }
  return static_cast<MPI_Offset>(number);
}

// The access mode must name exactly one of RDONLY, WRONLY, RDWR, and
// RDONLY excludes CREATE and EXCL (MPI would reject it less clearly).
void CheckAmode(Napi::Env env, int amode, const std::string& path) {
  int access = (amode & MPI_MODE_RDONLY ? 1 : 0) +
               (amode & MPI_MODE_WRONLY ? 1 : 0) +
               (amode & MPI_MODE_RDWR ? 1 : 0);
  if (access != 1) {
    ThrowRangeError(env, "open " + path +
                             ": amode must contain exactly one of "
                             "MODE_RDONLY, MODE_WRONLY and MODE_RDWR, got " +
                             std::to_string(amode));
  }
  if ((amode & MPI_MODE_RDONLY) &&
      (amode & (MPI_MODE_CREATE | MPI_MODE_EXCL))) {
    ThrowRangeError(env, "open " + path +
                             ": MODE_RDONLY cannot be combined with "
                             "MODE_CREATE or MODE_EXCL");
  }
  if ((amode & MPI_MODE_RDWR) && (amode & MPI_MODE_SEQUENTIAL)) {
    ThrowRangeError(env, "open " + path +
                             ": MODE_RDWR cannot be combined with "
                             "MODE_SEQUENTIAL");
  }
}

// fileOpen(comm, path, amode, info) -> handle
Napi::Value FileOpen(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  CommEntry comm = GetComm(env, info[0]);
  std::string path = ArgPath(env, info[1]);
  int amode = ArgInt(info, 2, "amode");
  CheckAmode(env, amode, path);
  InfoHandle mpi_info = ArgInfo(env, info[3], "info");
  auto entry = std::make_unique<FileEntry>();
  entry->path = path;
  RunFile(env, "MPI_File_open", path, [&] {
    return MPI_File_open(comm.comm, path.c_str(), amode, mpi_info.get(),
                         &entry->file);
  });
  auto& table = Table();
  table.push_back(std::move(entry));
  return Napi::Number::New(env, static_cast<double>(table.size() - 1));
}

Napi::Value FileClose(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  FileEntry& entry = GetFile(env, info[0]);
  RunFile(env, "MPI_File_close", entry.path,
          [&] { return MPI_File_close(&entry.file); });
  entry.file = MPI_FILE_NULL;
  return env.Undefined();
}

// fileDelete(path, info)
Napi::Value FileDelete(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  RequireMpi(env);
  std::string path = ArgPath(env, info[0]);
  InfoHandle mpi_info = ArgInfo(env, info[1], "info");
  RunFile(env, "MPI_File_delete", path,
          [&] { return MPI_File_delete(path.c_str(), mpi_info.get()); });
  return env.Undefined();
}

Napi::Value FileGetSize(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  FileEntry& entry = GetFile(env, info[0]);
  MPI_Offset size = 0;
  RunFile(env, "MPI_File_get_size", entry.path,
          [&] { return MPI_File_get_size(entry.file, &size); });
  return Napi::Number::New(env, static_cast<double>(size));
}

// setSize and preallocate: (file, size), collective.
Napi::Value SizeCall(const Napi::CallbackInfo& info, bool preallocate) {
  Napi::Env env = info.Env();
  FileEntry& entry = GetFile(env, info[0]);
  MPI_Offset size = ArgOffset(info, 1, "size");
  const char* name = preallocate ? "MPI_File_preallocate" : "MPI_File_set_size";
  RunFile(env, name, entry.path, [&] {
    return preallocate ? MPI_File_preallocate(entry.file, size)
                       : MPI_File_set_size(entry.file, size);
  });
  return env.Undefined();
}
Napi::Value FileSetSize(const Napi::CallbackInfo& info) {
  return SizeCall(info, false);
}
Napi::Value FilePreallocate(const Napi::CallbackInfo& info) {
  return SizeCall(info, true);
}

Napi::Value FileSync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  FileEntry& entry = GetFile(env, info[0]);
  RunFile(env, "MPI_File_sync", entry.path,
          [&] { return MPI_File_sync(entry.file); });
  return env.Undefined();
}

// fileSetView(file, disp, etype, filetype, datarep, info)
Napi::Value FileSetView(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  FileEntry& entry = GetFile(env, info[0]);
  MPI_Offset disp = ArgOffset(info, 1, "disp");
  TypeEntry& etype = GetDatatype(env, info[2], "etype", true);
  TypeEntry& filetype = GetDatatype(env, info[3], "filetype", true);
  if (!info[4].IsString()) ThrowTypeError(env, "datarep must be a string");
  std::string datarep = info[4].As<Napi::String>().Utf8Value();
  InfoHandle mpi_info = ArgInfo(env, info[5], "info");
  RunFile(env, "MPI_File_set_view", entry.path, [&] {
    return MPI_File_set_view(entry.file, disp, etype.type, filetype.type,
                             datarep.c_str(), mpi_info.get());
  });
  return env.Undefined();
}

// fileSeek(file, offset, whence); offset may be negative for SEEK_CUR/END.
Napi::Value FileSeek(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  FileEntry& entry = GetFile(env, info[0]);
  if (!info[1].IsNumber()) ThrowTypeError(env, "offset must be a number");
  double offset = info[1].As<Napi::Number>().DoubleValue();
  if (offset != std::trunc(offset) || std::fabs(offset) > 9007199254740991.0) {
    ThrowRangeError(env,
                    "offset must be an integer, got " + FormatNumber(offset));
  }
  int whence = ArgInt(info, 2, "whence");
  RunFile(env, "MPI_File_seek", entry.path, [&] {
    return MPI_File_seek(entry.file, static_cast<MPI_Offset>(offset), whence);
  });
  return env.Undefined();
}

Napi::Value FileGetPosition(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  FileEntry& entry = GetFile(env, info[0]);
  MPI_Offset offset = 0;
  RunFile(env, "MPI_File_get_position", entry.path,
          [&] { return MPI_File_get_position(entry.file, &offset); });
  return Napi::Number::New(env, static_cast<double>(offset));
}

// ---- data access: one spec for the whole family ---------------------------

enum class Access {
  kReadAt,
  kReadAtAll,
  kWriteAt,
  kWriteAtAll,
  kRead,
  kReadAll,
  kWrite,
  kWriteAll,
};

struct AccessSpec {
  Access access;
  const char* js;
  const char* mpi;
  bool explicit_offset;
};

const AccessSpec kAccess[] = {
    {Access::kReadAt, "fileReadAt", "MPI_File_read_at", true},
    {Access::kReadAtAll, "fileReadAtAll", "MPI_File_read_at_all", true},
    {Access::kWriteAt, "fileWriteAt", "MPI_File_write_at", true},
    {Access::kWriteAtAll, "fileWriteAtAll", "MPI_File_write_at_all", true},
    {Access::kRead, "fileRead", "MPI_File_read", false},
    {Access::kReadAll, "fileReadAll", "MPI_File_read_all", false},
    {Access::kWrite, "fileWrite", "MPI_File_write", false},
    {Access::kWriteAll, "fileWriteAll", "MPI_File_write_all", false},
};

int Dispatch(Access access, MPI_File file, MPI_Offset offset, void* buf,
             int count, MPI_Datatype type, MPI_Status* status) {
  switch (access) {
    case Access::kReadAt:
      return MPI_File_read_at(file, offset, buf, count, type, status);
    case Access::kReadAtAll:
      return MPI_File_read_at_all(file, offset, buf, count, type, status);
    case Access::kWriteAt:
      return MPI_File_write_at(file, offset, buf, count, type, status);
    case Access::kWriteAtAll:
      return MPI_File_write_at_all(file, offset, buf, count, type, status);
    case Access::kRead:
      return MPI_File_read(file, buf, count, type, status);
    case Access::kReadAll:
      return MPI_File_read_all(file, buf, count, type, status);
    case Access::kWrite:
      return MPI_File_write(file, buf, count, type, status);
    case Access::kWriteAll:
      return MPI_File_write_all(file, buf, count, type, status);
  }
  return MPI_ERR_OTHER;
}

// (file, offset, buf) for the explicit-offset forms, (file, buf) otherwise;
// the status (count = bytes moved) goes to the status buffer.
Napi::Value FileAccess(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const AccessSpec& spec = *static_cast<const AccessSpec*>(info.Data());
  FileEntry& entry = GetFile(env, info[0]);
  MPI_Offset offset = spec.explicit_offset ? ArgOffset(info, 1, "offset") : 0;
  BufferView view = GetView(env, info[spec.explicit_offset ? 2 : 1], "buf");
  WireBuffer wire = MakeWire(env, view);
  MPI_Status status;
  RunFile(env, spec.mpi, entry.path, [&] {
    return Dispatch(spec.access, entry.file, offset, wire.buf, wire.count,
                    wire.type, &status);
  });
  WriteStatusValues(env, MPI_ANY_SOURCE, MPI_ANY_TAG, StatusBytes(status), 0,
                    false);
  return env.Undefined();
}

// fileIreadAt / fileIwriteAt (file, offset, buf) -> request id.
Napi::Value FileIaccess(const Napi::CallbackInfo& info, bool write) {
  Napi::Env env = info.Env();
  FileEntry& entry = GetFile(env, info[0]);
  MPI_Offset offset = ArgOffset(info, 1, "offset");
  BufferView view = GetView(env, info[2], "buf");
  WireBuffer wire = MakeWire(env, view);
  MPI_Request request = MPI_REQUEST_NULL;
  const char* name = write ? "MPI_File_iwrite_at" : "MPI_File_iread_at";
  int rc = write ? MPI_File_iwrite_at(entry.file, offset, wire.buf, wire.count,
                                      wire.type, &request)
                 : MPI_File_iread_at(entry.file, offset, wire.buf, wire.count,
                                     wire.type, &request);
  if (rc != MPI_SUCCESS) ThrowFileError(env, rc, name, entry.path);
  return Napi::Number::New(env, RegisterFileRequest(env, request, view.value));
}
Napi::Value FileIreadAt(const Napi::CallbackInfo& info) {
  return FileIaccess(info, false);
}
Napi::Value FileIwriteAt(const Napi::CallbackInfo& info) {
  return FileIaccess(info, true);
}

}  // namespace

void RegisterFiles(Napi::Env env, Napi::Object exports) {
  Napi::Object constants = Napi::Object::New(env);
  auto set = [&](const char* name, int value) {
    constants.Set(name, Napi::Number::New(env, value));
  };
  set("MODE_RDONLY", MPI_MODE_RDONLY);
  set("MODE_WRONLY", MPI_MODE_WRONLY);
  set("MODE_RDWR", MPI_MODE_RDWR);
  set("MODE_CREATE", MPI_MODE_CREATE);
  set("MODE_EXCL", MPI_MODE_EXCL);
  set("MODE_DELETE_ON_CLOSE", MPI_MODE_DELETE_ON_CLOSE);
  set("MODE_UNIQUE_OPEN", MPI_MODE_UNIQUE_OPEN);
  set("MODE_SEQUENTIAL", MPI_MODE_SEQUENTIAL);
  set("MODE_APPEND", MPI_MODE_APPEND);
  set("SEEK_SET", MPI_SEEK_SET);
  set("SEEK_CUR", MPI_SEEK_CUR);
  set("SEEK_END", MPI_SEEK_END);
  constants.Freeze();
  exports.Set("fileConstants", constants);
  auto fn = [&](const char* js, Napi::Function::Callback cb) {
    exports.Set(js, Napi::Function::New(env, cb, js));
  };
  fn("fileOpen", FileOpen);
  fn("fileClose", FileClose);
  fn("fileDelete", FileDelete);
  fn("fileGetSize", FileGetSize);
  fn("fileSetSize", FileSetSize);
  fn("filePreallocate", FilePreallocate);
  fn("fileSync", FileSync);
  fn("fileSetView", FileSetView);
  fn("fileSeek", FileSeek);
  fn("fileGetPosition", FileGetPosition);
  fn("fileIreadAt", FileIreadAt);
  fn("fileIwriteAt", FileIwriteAt);
  for (const AccessSpec& spec : kAccess) {
    exports.Set(spec.js, Napi::Function::New(env, FileAccess, spec.js,
                                             const_cast<AccessSpec*>(&spec)));
  }
}

}  // namespace mpiloop
