#!/bin/sh
# Open MPI's rsh agent for the simulated cluster (--mca plm_rsh_agent this file),
# called as: rsh-agent.sh [ssh options] HOST command words...
# Starts the command on HOST with a clean, login-like environment, as ssh
# would: variables reach remote ranks only when forwarded (-x) or sent by rank 0.
# CLUSTER_HOSTS_FILE comes from mpirun's environment.
while [ $# -gt 0 ]; do case "$1" in -*) shift ;; *) break ;; esac; done
host=$1
shift
[ -e "/run/netns/$host" ] || { echo "rsh-agent: unknown host $host" >&2; exit 255; }
exec env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME="${HOME:-/root}" \
  "$(dirname "$0")/on-host.sh" "$host" "$CLUSTER_HOSTS_FILE" sh -c "$*"
