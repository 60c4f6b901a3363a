#!/bin/sh
# Three loads at once on one mounted, busy device (docs/reliability.md,
# "Load"): ext4 or xfs on null_blk under fio write+verify while
# - one loop attaches and detaches a 'pass' filter CYCLES times,
# - one loop changes a resident 'delay' filter's knob live CYCLES times
#   (us = 0, 100, 200),
# - one loop starts and stops a remap to linear over dmfilter-linear
#   CYCLES/5 + 1 times.
# Pass: every command succeeded, fio's verify and the ext4 check are
# clean, the kernel log is clean, nothing is attached or remapped at the
# end, rmmod works. The summary line has scripts/stress's form:
# "churn: nullb0 FSTYPE: C cycles, verify ok|FAILED, fsck ok|FAILED".
#
#   mixed.sh [CYCLES [FSTYPE]]     (default 30 ext4)
. "$DMF_REPO/tests/guest/lib.sh"
cycles=${1:-30}
fstype=${2:-ext4}
dev=/dev/nullb0
nullb_make 1
sz=$(blockdev --getsz $dev)
echo "0 $sz dmfilter-linear $dev 0" | dmsetup create base
echo "0 $sz linear /dev/mapper/base 0" | dmsetup create top
run fs_mount "$fstype" $dev /mnt/m
verify_start /mnt/m
run dmfilter attach delay $dev --set us=0

# loop NAME COUNT CMD...: run CMD (with $i set) COUNT times; the failures in /tmp/mixed.NAME.
loop() {
	name=$1 count=$2 bad=0 i=0
	shift 2
	while [ $i -lt "$count" ]; do
		eval "$@" > /dev/null || bad=$((bad + 1))
		i=$((i + 1))
	done
	echo $bad > /tmp/mixed.$name
}
start=$(date +%s)
loop attach "$cycles" 'dmfilter attach pass $dev && dmfilter detach $dev pass' &
a=$!
loop set "$cycles" 'dmfilter set $dev delay us=$((i % 3 * 100))' &
s=$!
loop remap $((cycles / 5 + 1)) 'dmfilter remap start /dev/mapper/top $dev && dmfilter remap stop $dev' &
r=$!
wait $a $s $r
echo "mixed: $cycles attach/detach, $cycles live sets, $((cycles / 5 + 1)) remap start/stop in $(($(date +%s) - start)) s"
for name in attach set remap; do
	expect "every $name command succeeded" "$(cat /tmp/mixed.$name)" 0
done

run dmfilter detach $dev
churn_end /mnt/m $dev "$fstype" "$cycles cycles"
expect "nothing attached" "$(dmfilter list --json | jq '.attachments | length')" 0
expect "nothing remapped" "$(dmfilter remap list --json | jq '.remaps | length')" 0
run dmsetup remove top
run dmsetup remove base
if kernel_log_clean; then pass "kernel log clean"; else fail "kernel log has a splat"; fi
run unload dmfilter
finish
