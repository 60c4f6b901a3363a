#!/bin/sh
# A disk that goes away takes its filters with it, and a new disk that
# gets the same number is never filtered by them.
# 1. null_blk made through configfs, 8 direct writes parked in a 60 s
#    delay, then powered off and removed: the writes end with EIO at once
#    (as the removed disk would end them), no splat; 'dmfilter list' shows
#    nothing, and has detached and unpinned the dropped filter.
# 2. The same disk created again gets the same number: it is not filtered
#    (its write latency is the plain one) and nothing is listed.
# 3. scsi_debug: a partition's filter with a parked write; deleting the
#    disk drops it the same way.
. "$DMF_REPO/tests/guest/lib.sh"
cfg=/sys/kernel/config/nullb
modprobe null_blk nr_devices=0
mountpoint -q /sys/kernel/config || mount -t configfs configfs /sys/kernel/config
count() { dmfilter list --json 2>/dev/null | jq -r '.attachments | length'; }
pins() { find /sys/fs/bpf/dmfilter -mindepth 1 2>/dev/null | wc -l; }

# make_disk NAME: a 64 MiB memory-backed configfs null_blk, powered on.
make_disk() {
	mkdir $cfg/$1 && echo 64 > $cfg/$1/size && echo 1 > $cfg/$1/memory_backed &&
		echo 1 > $cfg/$1/power
}
remove_disk() { echo 0 > $cfg/$1/power && rmdir $cfg/$1; }
# write_ms DEV: mean latency of 4k direct writes, whole ms (fio's figure).
write_ms() {
	fio --name=lat --filename="$1" --rw=randwrite --bs=4k --size=4M --direct=1 \
		--ioengine=psync --number_ios=20 --output-format=json |
		jq -r '.jobs[0].write.clat_ns.mean / 1e6 | floor'
}

run make_disk gone
dev=/dev/gone   # null_blk names a configfs disk after its directory
[ -b "$dev" ] && pass "configfs disk $dev" || { fail "no configfs null_blk disk"; finish; }
num=$(cat /sys/block/$(basename $dev)/dev)
run dmfilter attach delay $dev --set ms=60000
i=0
while [ $i -lt 8 ]; do
	{ dd if=/dev/zero of=$dev bs=4k seek=$i count=1 oflag=direct status=none 2>/tmp/dd.$i.err
	  echo $? > /tmp/dd.$i.rc; } &
	i=$((i + 1))
done
t=0
while [ "$(dmfilter status $dev --json | jq -r '.attachments[0].counters.queued')" -lt 8 ] && [ $t -lt 20 ]; do t=$((t + 1)); done
expect "8 writes parked" "$(dmfilter status $dev --json | jq -r '.attachments[0].counters.queued')" 8
start=$(date +%s%N)
run remove_disk gone
wait
ms=$((($(date +%s%N) - start) / 1000000))
if [ $ms -lt 30000 ]; then pass "the parked writes ended at removal ($ms ms), not after the delay"; else fail "they ended after $ms ms"; fi
eio=0
for i in 0 1 2 3 4 5 6 7; do
	[ "$(cat /tmp/dd.$i.rc)" != 0 ] && grep -q 'Input/output error' /tmp/dd.$i.err && eio=$((eio + 1))
done
expect "each failed with EIO" $eio 8
dmesg | grep -q "filter 'delay' dropped: device $(basename $dev) removed" &&
	pass "the kernel log says why the filter went" || fail "no 'dropped' line in dmesg"
dmfilter list > /tmp/list.out 2> /tmp/list.err
expect "list shows nothing" "$(cat /tmp/list.out | head -1)" "no filters attached"
grep -q "note: $num: its disk was removed; detached 'delay'" /tmp/list.err &&
	pass "list said it removed the dropped filter's pins" || fail "no note: $(cat /tmp/list.err)"
expect "no pins left" "$(pins)" 0

run make_disk gone
expect "the new disk has the old number" "$(cat /sys/block/$(basename $dev)/dev)" "$num"
lat=$(write_ms $dev)
if [ "$lat" -lt 100 ]; then pass "the new disk is not delayed ($lat ms per write)"; else fail "the new disk's writes take $lat ms"; fi
expect "nothing listed" "$(count)" 0
run remove_disk gone

# 3. scsi_debug: the filter of a partition, dropped with its disk.
modprobe sd_mod && modprobe scsi_debug dev_size_mb=16   # no udev: load sd_mod ourselves
sd=
for i in $(seq 50); do
	for m in /sys/block/sd*/device/model; do
		grep -qs scsi_debug "$m" && sd=$(basename "${m%/device/model}")
	done
	[ -n "$sd" ] && break
	sleep 0.2
done
[ -n "$sd" ] && pass "scsi_debug disk /dev/$sd" || { fail "no scsi_debug disk"; finish; }
echo ',8M' | sfdisk -q /dev/$sd >/dev/null
blockdev --rereadpt /dev/$sd
part=/dev/${sd}1
[ -b $part ] && pass "$part exists" || { fail "no partition on /dev/$sd"; finish; }
run dmfilter attach delay $part --set ms=60000
dd if=/dev/zero of=$part bs=4k count=1 oflag=direct status=none 2>/tmp/dd.err &
ddpid=$!
t=0
while [ "$(dmfilter status $part --json | jq -r '.attachments[0].counters.queued')" -lt 1 ] && [ $t -lt 20 ]; do t=$((t + 1)); done
echo 1 > /sys/block/$sd/device/delete
wait $ddpid
expect "the parked write failed with EIO" "$? $(grep -c 'Input/output error' /tmp/dd.err)" "1 1"
[ ! -e /sys/block/$sd ] && pass "/dev/$sd is deleted" || fail "/dev/$sd still exists"
expect "nothing listed" "$(count)" 0
expect "no pins left" "$(pins)" 0
run rmmod dmfilter
finish
