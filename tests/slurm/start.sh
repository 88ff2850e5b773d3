#!/usr/bin/env bash
# Start a single-node SLURM cluster on 127.0.0.1 with two fake GPUs, for the SLURM tests and for
# trying the slurm profile locally. Needs root and Debian's slurm-wlm + munge
# (apt-get install -y slurm-wlm munge). No systemd, no cgroups, no accounting database: the profile
# checks job states with squeue. Idempotent: a running cluster is left as it is.
#   tests/slurm/start.sh        start (or confirm) the cluster; prints "slurm up" when sinfo answers
#   tests/slurm/stop.sh         stop it
set -euo pipefail

if [ "$(id -u)" != 0 ]; then echo "error: tests/slurm/start.sh needs root (it writes /etc/slurm and starts daemons)" >&2; exit 1; fi
for tool in slurmctld slurmd munged sinfo; do
    command -v "$tool" >/dev/null || { echo "error: $tool not found; install it: apt-get install -y slurm-wlm munge" >&2; exit 1; }
done
if scontrol ping 2>/dev/null | grep -q UP && sinfo -h >/dev/null 2>&1; then echo "slurm up (already running)"; exit 0; fi

HOST=$(hostname -s)
STATE=/var/lib/reprokit-slurm
mkdir -p "$STATE"/{ctld,d,log} /etc/slurm /run/munge /var/log/munge /var/lib/munge
grep -qE "^[0-9.]+\s+.*\b$HOST\b" /etc/hosts || echo "127.0.0.1 $HOST" >> /etc/hosts

# munge: a key, then the daemon as its own user
if [ ! -s /etc/munge/munge.key ]; then
    mkdir -p /etc/munge
    dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key status=none
fi
chown -R munge:munge /etc/munge /run/munge /var/log/munge /var/lib/munge
chmod 0700 /etc/munge && chmod 0400 /etc/munge/munge.key
pgrep -x munged >/dev/null || su -s /bin/sh munge -c "munged --force"

# two fake GPUs: symlinks to /dev/null so SLURM sets CUDA_VISIBLE_DEVICES
ln -sf /dev/null "$STATE/gpu0"
ln -sf /dev/null "$STATE/gpu1"
CPUS=$(nproc)
MEM_MB=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 * 8 / 10 ))

cat > /etc/slurm/slurm.conf <<CONF
ClusterName=reprokit
SlurmctldHost=$HOST(127.0.0.1)
SlurmUser=root
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
ReturnToService=2
MinJobAge=300
GresTypes=gpu
StateSaveLocation=$STATE/ctld
SlurmdSpoolDir=$STATE/d
SlurmctldLogFile=$STATE/log/slurmctld.log
SlurmdLogFile=$STATE/log/slurmd.log
SlurmctldPidFile=$STATE/slurmctld.pid
SlurmdPidFile=$STATE/slurmd.pid
SchedulerParameters=defer_batch
SchedulerType=sched/backfill
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
NodeName=$HOST NodeAddr=127.0.0.1 CPUs=$CPUS RealMemory=$MEM_MB Gres=gpu:2 State=UNKNOWN
PartitionName=gpu Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
CONF
cat > /etc/slurm/gres.conf <<CONF
AutoDetect=off
NodeName=$HOST Name=gpu File=$STATE/gpu[0-1]
CONF

pgrep -x slurmctld >/dev/null || slurmctld -c
pgrep -x slurmd >/dev/null || slurmd
for _ in $(seq 1 60); do
    if scontrol ping 2>/dev/null | grep -q UP && sinfo -h -o "%T" 2>/dev/null | grep -qvE "down|drain|inval"; then
        scontrol update NodeName="$HOST" State=RESUME >/dev/null 2>&1 || true
        echo "slurm up: $(sinfo -h -o '%P %D %T %G')"
        exit 0
    fi
    sleep 0.5
done
echo "error: SLURM did not come up; see $STATE/log/slurmctld.log and slurmd.log" >&2
exit 1
