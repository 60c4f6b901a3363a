#!/bin/sh
# The product's main paths, quickly: what a second kernel must pass.
# delay attached to null_blk adds its delay (fio's mean read latency) and
# detaches; dust fails a bad block with EIO and heals it on a write;
# remap to dm-delay over dmfilter-linear on a mounted ext4 under fio
# write+verify starts and stops 10 times, verify and fsck clean; rmmod.
. "$DMF_REPO/tests/guest/lib.sh"
nullb_make 2
dev=/dev/nullb0
read_ms() {
	fio --name=lat --filename="$1" --rw=randread --bs=4k --size=4M --direct=1 \
		--ioengine=psync --number_ios=10 --output-format=json |
		jq -r '.jobs[0].read.clat_ns.mean / 1e6 | floor'
}

run dmfilter attach delay $dev --set ms=20
expect_ge "delay ms=20 on reads (fio mean, ms)" "$(read_ms $dev)" 20
run dmfilter detach $dev
if [ "$(read_ms $dev)" -lt 10 ]; then pass "reads are fast again after detach"; else fail "reads still slow"; fi

run dmfilter attach dust $dev --set blksz=4096
run dmfilter dust $dev add 5
run dmfilter dust $dev enable
expect "a read of the bad block" "$(io r $dev 40)" "Input/output error"
expect "its neighbour" "$(io r $dev 48)" ok
expect "a write heals it" "$(io w $dev 40)" ok
expect "then it reads" "$(io r $dev 40)" ok
run dmfilter detach $dev

size=$(blockdev --getsz /dev/nullb1)
run fs_mount ext4 /dev/nullb1 /mnt/s
run dmsetup create sbase --table "0 $size dmfilter-linear /dev/nullb1 0"
run dmsetup create stop --table "0 $size delay /dev/mapper/sbase 0 1"
verify_start /mnt/s
bad=0
for _ in 1 2 3 4 5 6 7 8 9 10; do
	dmfilter remap start /dev/mapper/stop /dev/nullb1 > /dev/null || bad=$((bad + 1))
	sleep 0.2
	dmfilter remap stop /dev/nullb1 > /dev/null || bad=$((bad + 1))
done
expect "10 remap starts and stops under fio" $bad 0
if verify_stop /mnt/s; then pass "fio verify clean"; else fail "fio verify failed"; fi
umount /mnt/s
if fs_check ext4 /dev/nullb1; then pass "ext4 check clean"; else fail "ext4 check failed"; fi
run dmsetup remove stop
run dmsetup remove sbase
if kernel_log_clean; then pass "kernel log clean"; else fail "kernel log has a splat"; fi
run unload dmfilter
finish
