#!/bin/sh
# Faults, and what a user sees after them (issue "Benchmarks ...
# reliability and security suite", faults):
# - a program's unsafe outputs (filters/misbehaves.bpf.c here): an unknown
#   verdict passes the bio and the kernel log names the filter; an errno
#   below -4095 or a positive status becomes EIO; a delay past the maximum
#   is held to one hour (DMFILTER_MAX_DELAY_NS), and detach releases the
#   write at once, its data intact.
# - the loader killed (SIGKILL) at points through an attach: afterwards
#   the filter is either attached and acting or absent, 'dmfilter list'
#   reaps what a killed loader left, and attach and detach work.
# - rmmod while a filter is attached, under fio write+verify on ext4: it
#   is refused and nothing is lost.
# - memory pressure: 20,000 bios parked in a delay while the hugetlb pool
#   takes the guest's available memory; detach releases every one.
# (device-removal.sh and remap.sh cover a device removed while filtered
# or remapped.)
. "$DMF_REPO/tests/guest/lib.sh"
nullb_make 2
dev=/dev/nullb0
m=$DMF_REPO/tests/guest/filters/misbehaves.bpf.c
attached() { dmfilter list --json | jq '.attachments | length'; }

# --- unsafe outputs ------------------------------------------------------------
run dmfilter attach "$m" $dev --set mode=1
expect "an unknown verdict: the write passes" "$(io w $dev 0)" ok
dmesg | grep -q "filter 'misbehaves' returned invalid verdict 42" &&
	pass "the kernel log names the filter" || fail "no kernel log line for the invalid verdict"
run dmfilter set $dev misbehaves mode=3
expect "an errno below -4095 becomes EIO" "$(io w $dev 0)" "Input/output error"
run dmfilter set $dev misbehaves mode=4
expect "a positive status becomes EIO" "$(io w $dev 0)" "Input/output error"
run dmfilter set $dev misbehaves mode=2
head -c 4096 /dev/urandom > /tmp/blk
io w $dev 8 8 /tmp/blk > /tmp/blk.out &
writer=$!
sleep 2
expect "a delay of 2^64-1 ns: the write is parked" "$(knob $dev misbehaves counters.queued)" 1
t0=$(date +%s)
run dmfilter detach $dev
wait $writer
expect "detach released it: the write succeeded" "$(cat /tmp/blk.out)" ok
expect_ge "... within 5 s (5 - seconds taken)" $((5 - ($(date +%s) - t0))) 0
expect "its data is on the device" "$(sectors_sum $dev 8 8)" "$(sha256sum < /tmp/blk | cut -c1-64)"

# --- the loader killed through an attach ---------------------------------------
present=0 absent=0 i=0
while [ $i -lt 12 ]; do
	dmfilter attach delay $dev --set ms=1 > /dev/null 2>&1 &
	loader=$!
	sleep "$(printf '0.%02d' $((i * 8)))"
	kill -KILL $loader 2> /dev/null
	wait $loader 2> /dev/null
	case $(attached) in
	0) absent=$((absent + 1)) ;;
	1) present=$((present + 1))
		expect "killed at $((i * 80)) ms, attached: it acts" "$(knob $dev delay knobs.ms)" 1
		run dmfilter detach $dev > /dev/null ;;
	*) fail "killed at $((i * 80)) ms: $(attached) attachments" ;;
	esac
	expect "killed at $((i * 80)) ms: nothing left pinned" \
		"$(find /sys/fs/bpf/dmfilter -mindepth 1 2> /dev/null | wc -l)" 0
	i=$((i + 1))
done
echo "loader killed 12 times: $present attached, $absent absent"
run dmfilter attach delay $dev --set ms=1
run dmfilter detach $dev

# --- rmmod under load --------------------------------------------------------------
run fs_mount ext4 $dev /mnt/f
verify_start /mnt/f
run dmfilter attach delay $dev --set ms=1
sleep 2
expect_fail "rmmod while a filter is attached" rmmod dmfilter
expect "the filter is still attached" "$(attached)" 1
sleep 2
run dmfilter detach $dev
if verify_stop /mnt/f; then pass "fio verify clean"; else fail "fio verify failed"; fi
umount /mnt/f
if fs_check ext4 $dev; then pass "ext4 check clean"; else fail "ext4 check failed"; fi

# --- memory pressure with bios parked ------------------------------------------
run dmfilter attach delay /dev/nullb1 --set ms=600000
echo 100000 > /proc/sys/fs/aio-max-nr
fio --name=park --filename=/dev/nullb1 --rw=randread --bs=512 --direct=1 --ioengine=libaio \
	--iodepth=1000 --iodepth_batch_submit=1000 --numjobs=20 --runtime=3600 --time_based \
	> /tmp/park.out 2>&1 &
park=$!
t0=$(date +%s)
for _ in $(seq 60); do
	[ "$(knob /dev/nullb1 delay counters.queued)" -ge 20000 ] && break
	sleep 1
done
echo "20,000 bios parked in $(($(date +%s) - t0)) s"
expect_ge "bios parked" "$(knob /dev/nullb1 delay counters.queued)" 20000
avail=$(awk '$1 == "MemAvailable:" { print $2 }' /proc/meminfo)
# The hugetlb pool takes it: faulting that much in from a process takes
# TCG a minute or more.
echo $(((avail - 65536) / 2048)) > /proc/sys/vm/nr_hugepages
sleep 3
echo "memory taken: $(($(cat /proc/sys/vm/nr_hugepages) * 2)) MiB of $((avail / 1024)) MiB available; now $(($(awk '$1 == "MemAvailable:" { print $2 }' /proc/meminfo) / 1024)) MiB; $(($(date +%s) - t0)) s since fio started"
echo 0 > /proc/sys/vm/nr_hugepages
expect_ge "bios still parked after the pressure" "$(knob /dev/nullb1 delay counters.queued)" 20000
run dmfilter detach /dev/nullb1
kill $park; wait $park 2> /dev/null
grep -qE 'err= *[1-9]' /tmp/park.out && fail "the parked reads got errors: $(grep -m1 'err=' /tmp/park.out)" ||
	pass "the parked reads completed without errors"

if kernel_log_clean; then pass "kernel log clean"; else fail "kernel log has a splat"; fi
expect "nothing attached" "$(attached)" 0
run unload dmfilter
finish
