#!/bin/sh
# on-host.sh HOST HOSTS_FILE command [args...]: runs a command on a simulated
# host of test/helpers/cluster.mjs: in the network namespace named HOST, with
# HOST as its host name (its own UTS namespace: with one shared name Open MPI's
# shared-memory segments of different hosts would collide) and HOSTS_FILE as
# its /etc/hosts (bind-mounted in a private mount namespace, so nothing
# outside changes). The caller's environment is kept.
host=$1 hosts=$2
shift 2
exec ip netns exec "$host" unshare --uts --mount sh -c \
  'mount --bind "$1" /etc/hosts && hostname "$0" && shift && exec "$@"' "$host" "$hosts" "$@"
