{
  "targets": [
    {
      "target_name": "mpi_loop",
      "sources": [
        "src/native/addon.cc",
        "src/native/args.cc",
        "src/native/bsend_buffer.cc",
        "src/native/buffer_spec.cc",
        "src/native/collective_checks.cc",
        "src/native/collective_specs.cc",
        "src/native/collectives.cc",
        "src/native/comm_management.cc",
        "src/native/comm_table.cc",
        "src/native/communicators.cc",
        "src/native/constants.cc",
        "src/native/datatype.cc",
        "src/native/derived_datatypes.cc",
        "src/native/environment.cc",
        "src/native/error_classes.cc",
        "src/native/errors.cc",
        "src/native/file.cc",
        "src/native/group.cc",
        "src/native/heartbeat.cc",
        "src/native/info.cc",
        "src/native/info_args.cc",
        "src/native/intercomm.cc",
        "src/native/matched_probe.cc",
        "src/native/message.cc",
        "src/native/mpi_quirks.cc",
        "src/native/neighbor.cc",
        "src/native/nonblocking_collectives.cc",
        "src/native/ops.cc",
        "src/native/p2p.cc",
        "src/native/shared_words.cc",
        "src/native/poller.cc",
        "src/native/prequest.cc",
        "src/native/receive_memory.cc",
        "src/native/requests.cc",
        "src/native/send_modes.cc",
        "src/native/sleep_timer.cc",
        "src/native/spawn.cc",
        "src/native/status.cc",
        "src/native/topology.cc",
        "src/native/user_ops.cc",
        "src/native/watchdog.cc",
        "src/native/win.cc"
      ],
      "include_dirs": [
        "<!(node -p \"require('node-addon-api').include_dir\")",
        "<!@(node scripts/mpi-flags.js include_dirs)"
      ],
      "dependencies": [
        "<!(node -p \"require('node-addon-api').targets\"):node_addon_api_except"
      ],
      "defines": [
        "NAPI_VERSION=8",
        "NODE_ADDON_API_DISABLE_DEPRECATED"
      ],
      "cflags": [
        "<!@(node scripts/mpi-flags.js cflags)",
        "-Wall",
        "-Wextra"
      ],
      "cflags_cc": [
        "-std=c++17"
      ],
      "cflags_cc!": [
        "-fno-exceptions",
        "-std=gnu++17"
      ],
      "libraries": [
        "<!@(node scripts/mpi-flags.js libraries)",
        "-ldl"
      ],
      "ldflags": [
        "<!@(node scripts/mpi-flags.js ldflags)"
      ],
      "xcode_settings": {
        "GCC_ENABLE_CPP_EXCEPTIONS": "YES",
        "CLANG_CXX_LANGUAGE_STANDARD": "c++17",
        "OTHER_LDFLAGS": [
          "<!@(node scripts/mpi-flags.js ldflags)"
        ]
      }
    }
  ]
}
