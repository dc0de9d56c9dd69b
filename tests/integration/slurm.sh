#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# nestbox as the per-job sandbox of a real Slurm: a single-node Slurm from
# Debian's slurm-wlm and munge, started by this test with its own key,
# socket, configuration (SLURM_CONF), ports and state directories, and
# stopped at the end.  Jobs run as the ordinary test user:
#  - srun nestbox run --profile build: the job's status is the command's;
#  - an sbatch --array of two dozen sandboxed jobs, two at a time, all done,
#    each in a sandbox of its own, nothing left behind;
#  - scancel of a running sandboxed job ends the whole sandbox;
#  - a job's exit status as Slurm reports it.
# It needs root to start munged, slurmctld and slurmd.
NB_ROOT_DRIVER=1
. "$(dirname "$0")/../libtest.sh"

if [ "$(id -u)" != 0 ]; then
	skip "needs root, to start a Slurm of its own"
	done_testing
	exit
fi
for c in munged slurmctld slurmd srun sbatch scancel squeue scontrol; do
	if ! command -v "$c" >/dev/null; then
		skip "needs slurm-wlm and munge ($c is missing)"
		done_testing
		exit
	fi
done
user=${NB_TEST_USER:-nbtest}
id "$user" >/dev/null 2>&1 ||
	nb_skip_all "the test user $user does not exist: as root, run make check-setup (tests/setup.sh) first"

D=$(mktemp -d /var/tmp/nestbox-slurm.XXXXXX) || exit 1
chmod 755 "$D"
mkdir -p "$D/state" "$D/spool" "$D/munge" "$D/sock" "$D/jobs"
chmod 700 "$D/munge"
chmod 755 "$D/sock"
chown "$user" "$D/jobs"
cp "$NESTBOX" "$D/nestbox"
chmod 755 "$D/nestbox"
head -c 1024 /dev/urandom >"$D/munge/key"
chmod 400 "$D/munge/key"
host=$(hostname -s)
# Ports of its own, away from a Slurm the machine may run.
port=$((20000 + $$ % 20000))
cat >"$D/slurm.conf" <<EOF
ClusterName=nestboxtest
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$port
SlurmdPort=$((port + 1))
AuthType=auth/munge
AuthInfo=socket=$D/sock/munge.sock
CredType=cred/munge
StateSaveLocation=$D/state
SlurmdSpoolDir=$D/spool
SlurmctldPidFile=$D/slurmctld.pid
SlurmdPidFile=$D/slurmd.pid
SlurmctldLogFile=$D/slurmctld.log
SlurmdLogFile=$D/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SwitchType=switch/none
MpiDefault=none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MinJobAge=600
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
PlugStackConfig=$D/plugstack.conf
NodeName=$host NodeAddr=127.0.0.1 CPUs=2 State=UNKNOWN
PartitionName=nbtest Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
: >"$D/plugstack.conf"
chmod 644 "$D/slurm.conf" "$D/plugstack.conf"
export SLURM_CONF="$D/slurm.conf"
stop_slurm() {
	for p in slurmd slurmctld munge/munged; do
		[ -f "$D/$p.pid" ] && kill "$(cat "$D/$p.pid")" 2>/dev/null
	done
	kill $daemons 2>/dev/null
	wait 2>/dev/null
	rm -rf "$D"
	nb_cleanup
}
trap stop_slurm EXIT
munged --force --key-file="$D/munge/key" --socket="$D/sock/munge.sock" --pid-file="$D/munge/munged.pid" \
	--log-file="$D/munge/munged.log" --seed-file="$D/munge/seed" || nb_bail "munged did not start"
slurmctld -D -f "$D/slurm.conf" >"$D/ctld.out" 2>&1 &
daemons=$!
slurmd -D -f "$D/slurm.conf" >"$D/d.out" 2>&1 &
daemons="$daemons $!"
for _i in $(seq 100); do sinfo -h -o %T 2>/dev/null | grep -qx idle && break; sleep 0.1; done
sinfo -h -o %T 2>/dev/null | grep -qx idle || nb_bail "Slurm did not come up: $(tail -2 "$D/ctld.out" "$D/d.out")"

home=$(getent passwd "$user" | cut -d: -f6)
as_user() { # as_user CMD...: as the test user, in the jobs directory (the project)
	(cd "$D/jobs" && setpriv --reuid="$user" --regid="$user" --init-groups \
		env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$home" SLURM_CONF="$SLURM_CONF" \
		XDG_RUNTIME_DIR="$D/jobs/run" "$@")
}
as_user mkdir -m 700 "$D/jobs/run"

# srun: the job's status is the sandboxed command's.
out=$(as_user timeout 60 srun "$D/nestbox" run --profile build -- sh -c 'readlink /proc/self/ns/user; exit 3' 2>&1)
rc=$?
is "$rc" 3 "srun nestbox run --profile build: srun exits with the command's status"
ns=$(printf '%s\n' "$out" | grep -m1 '^user:')
ok "$([ -n "$ns" ] && [ "$ns" != "$(readlink /proc/self/ns/user)" ]; echo $?)" "and the job ran in a user namespace of its own ($ns)"

# sbatch --array: two dozen sandboxed jobs, two at a time (two CPUs).
jobid=$(as_user sbatch --parsable --array=1-24 -o /dev/null \
	--wrap "\"$D/nestbox\" run --profile build -- sh -c 'readlink /proc/self/ns/user >\"ns.\$SLURM_ARRAY_TASK_ID\"'")
like "$jobid" "^[0-9]+$" "sbatch --array=1-24 of sandboxed jobs is accepted"
for _i in $(seq 600); do [ -z "$(squeue -h -j "$jobid" 2>/dev/null)" ] && break; sleep 0.1; done
is "$(ls "$D/jobs" | grep -c '^ns\.')" 24 "all 24 array jobs ran"
# Inode numbers come back once a namespace is gone: each differs from ours.
is "$(cat "$D"/jobs/ns.* 2>/dev/null | grep '^user:' | grep -vcx "$(readlink /proc/self/ns/user)")" 24 \
	"each in a user namespace of its own"
bad=$(scontrol -o show job "$jobid" 2>/dev/null | grep -v 'JobState=COMPLETED' | grep -c .)
is "$bad" 0 "Slurm reports every array job COMPLETED"
pgrep -u "$user" -f "$D/nestbox" >/dev/null
is "$?:$(as_user "$D/nestbox" ps -q 2>/dev/null)" "1:" "and no process or record of any of them is left"

# A job's exit status, as Slurm reports it.
jobid=$(as_user sbatch --parsable -o /dev/null --wrap "\"$D/nestbox\" run --profile build -- sh -c 'exit 7'")
for _i in $(seq 300); do [ -z "$(squeue -h -j "$jobid" 2>/dev/null)" ] && break; sleep 0.1; done
like "$(scontrol -o show job "$jobid")" "ExitCode=7:0" "Slurm reports the sandboxed command's exit status (7)"

# scancel of a running sandboxed job ends the whole sandbox.
jobid=$(as_user sbatch --parsable -o /dev/null --wrap "\"$D/nestbox\" run --profile build --name slurmjob -- sleep 300.$$")
for _i in $(seq 300); do as_user "$D/nestbox" ps -q 2>/dev/null | grep -qx slurmjob && break; sleep 0.1; done
is "$(as_user "$D/nestbox" ps -q 2>/dev/null)" slurmjob "the sandboxed job runs (nestbox ps sees it)"
scancel "$jobid"
for _i in $(seq 300); do [ -z "$(squeue -h -j "$jobid" 2>/dev/null)" ] && break; sleep 0.1; done
for _i in $(seq 50); do pgrep -u "$user" -f "$D/nestbox" >/dev/null || break; sleep 0.1; done
pgrep -u "$user" -f "$D/nestbox|sleep 300\\.$$" >/dev/null
is "$?" 1 "scancel: no process of the sandbox is left"
is "$(as_user "$D/nestbox" ps -q 2>/dev/null)" "" "and no record of it"
is "$(grep -c "$D" /proc/self/mountinfo)" 0 "and no mount"

done_testing
