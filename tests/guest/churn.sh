#!/bin/sh
# Attach/detach churn on a mounted, busy file system loses nothing.
#
#   churn.sh FSTYPE CYCLES [DEVICES [IOPS]]
#
# FSTYPE (ext4 or xfs) on each of DEVICES null_blk disks (default 1),
# each under a fio random-write job with crc32c verification (capped at
# IOPS writes a second when given). One loop
# per disk attaches and detaches CYCLES times, rotating through delay
# ms=1, pass, and a two-filter chain (pass, then delay). Pass: fio's
# verify clean, the file system's check clean after unmount, the kernel
# log clean, nothing left attached, rmmod works. One summary line per
# disk: "churn: nullbN FSTYPE: C cycles, verify ok|FAILED, fsck ok|FAILED".
. "$DMF_REPO/tests/guest/lib.sh"
fs=${1:?FSTYPE}
cycles=${2:?CYCLES}
disks=${3:-1}
iops=${4:-}

# cycle DEV I: one attach/detach of the I-th configuration.
cycle() {
	case $(($2 % 3)) in
	0) dmfilter attach delay "$1" --set ms=1 ;;
	1) dmfilter attach pass "$1" ;;
	2) dmfilter attach pass "$1" && dmfilter attach delay "$1" --set ms=1 ;;
	esac > /dev/null && dmfilter detach "$1" > /dev/null
}

# churn DEV: CYCLES cycles; the count of failed ones in /tmp/churn.NAME.
churn() {
	bad=0 i=0
	while [ $i -lt "$cycles" ]; do
		cycle "$1" $i || bad=$((bad + 1))
		i=$((i + 1))
	done
	echo $bad > "/tmp/churn.$(basename "$1")"
}

nullb_make "$disks"
i=0
while [ $i -lt "$disks" ]; do
	run fs_mount "$fs" /dev/nullb$i /mnt/nullb$i
	verify_start /mnt/nullb$i $iops
	i=$((i + 1))
done

start=$(date +%s)
i=0
while [ $i -lt "$disks" ]; do
	churn /dev/nullb$i &
	i=$((i + 1))
done
wait_for_churn() { for f in $(seq 0 $((disks - 1))); do while [ ! -e /tmp/churn.nullb$f ]; do sleep 1; done; done; }
wait_for_churn
echo "churn: $cycles cycles on $disks disk(s) in $(($(date +%s) - start)) s"

i=0
while [ $i -lt "$disks" ]; do
	d=nullb$i
	expect "$d: every attach and detach succeeded" "$(cat /tmp/churn.$d)" 0
	churn_end /mnt/$d /dev/$d "$fs" "$cycles cycles"
	i=$((i + 1))
done
if kernel_log_clean; then pass "kernel log clean"; else fail "kernel log has a splat"; fi
expect "nothing left attached" "$(dmfilter list --json | jq '.attachments | length')" 0
run rmmod dmfilter
finish
