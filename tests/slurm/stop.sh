#!/usr/bin/env bash
# Stop the local test cluster started by tests/slurm/start.sh.
set -u
pkill -x slurmd 2>/dev/null
pkill -x slurmctld 2>/dev/null
for _ in $(seq 1 20); do pgrep -x slurmctld >/dev/null || pgrep -x slurmd >/dev/null || break; sleep 0.25; done
echo "slurm stopped"
