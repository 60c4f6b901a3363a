#!/bin/sh
# What runs when the submit path finds no memory (it never sleeps for
# it), reached with the module's test-only fail_nowait=N: every Nth
# allocation it makes without sleeping fails, nowait_failed counts them.
# - remap: a bio whose clone cannot be allocated waits for the remap's
#   worker, which may sleep; 8 MiB written and read back through it are
#   intact;
# - delay: a bio that cannot be parked passes at once (a 5 s delay asked),
#   counted as passed, with a kernel log line;
# - flakey's write corruption: the copy (its bio, or a page of it) cannot
#   be made: the store reports -ENOMEM (corrupt_failed) and the write
#   lands unchanged;
# - flakey's read corruption: the read cannot be watched and completes
#   untouched, with a kernel log line.
# The kernel log stays free of splats and rmmod works after.
. "$DMF_REPO/tests/guest/lib.sh"
param=/sys/module/dmfilter/parameters
failed() { cat $param/nowait_failed; }
nullb_make 1
d=/dev/nullb0

# --- remap: the deferral worker ---
sz=$(blockdev --getsz $d)
echo "0 $sz dmfilter-linear $d 0" | dmsetup create base
echo "0 $sz linear /dev/mapper/base 0" | dmsetup create top
run dmfilter remap start /dev/mapper/top $d
head -c 8M /dev/urandom > /tmp/data
before=$(failed)
echo 1 > $param/fail_nowait
run dd if=/tmp/data of=$d bs=64k oflag=direct status=none
got=$(dd if=$d bs=64k count=128 iflag=direct status=none | sha256sum | cut -c1-64)
echo 0 > $param/fail_nowait
expect "remap: 8 MiB read back intact through the deferral worker" "$got" \
	"$(sha256sum < /tmp/data | cut -c1-64)"
expect_ge "remap: clones failed on purpose" $(($(failed) - before)) 256
expect_ge "remap: bios redirected" "$(dmfilter remap list --json | jq '.remaps[0].redirected')" 256
run dmfilter remap stop $d
run dmsetup remove top
run dmsetup remove base

# --- delay: no memory to park a bio ---
run dmfilter attach delay $d --set ms=5000
before=$(failed) delayed=$(knob $d delay counters.delayed)
echo 1 > $param/fail_nowait
start=$(date +%s%N)
expect "delay: the read succeeds" "$(io r $d 0)" ok
ms=$((($(date +%s%N) - start) / 1000000))
echo 0 > $param/fail_nowait
if [ $ms -lt 2500 ]; then pass "delay: not parked, done in $ms ms"; else fail "delay: took $ms ms"; fi
expect "delay: nothing counted delayed" "$(knob $d delay counters.delayed)" "$delayed"
expect_ge "delay: passed" "$(knob $d delay counters.passed)" 1
expect_ge "delay: allocations failed on purpose" $(($(failed) - before)) 1
expect_ge "delay: the kernel log says why" "$(dmesg | grep -c 'no memory to delay a bio')" 1
run dmfilter detach $d

# --- flakey: a write's copy cannot be made ---
head -c 4096 /dev/zero | tr '\000' '\252' > /tmp/aa
aa_sum=$(sha256sum < /tmp/aa | cut -c1-64)
for s in 0 8 16 24; do expect "write 0xAA at $s" "$(io w $d $s 8 /tmp/aa)" ok; done
run dmfilter attach flakey $d --set up=0 --set down=3600 --set corrupt_bio_write=1 \
	--set corrupt_bio_byte=100 --set corrupt_bio_value=0x55
before=$(failed)
# Every allocation fails (the copy's bio), then every 2nd (a page of it).
echo 1 > $param/fail_nowait
expect "flakey: a write without memory for its copy succeeds" "$(io w $d 0 8 /tmp/aa)" ok
echo 2 > $param/fail_nowait
for s in 8 16 24; do
	expect "flakey: write at $s succeeds" "$(io w $d $s 8 /tmp/aa)" ok
done
echo 0 > $param/fail_nowait
corrupted=$(knob $d flakey knobs.corrupted)
nomem=$(knob $d flakey knobs.corrupt_failed)
expect "flakey: each write corrupted or refused its store" $((corrupted + nomem)) 4
expect_ge "flakey: stores refused (-ENOMEM)" "$nomem" 2
run dmfilter detach $d
changed=0
for s in 0 8 16 24; do
	[ "$(sectors_sum $d $s 8)" = "$aa_sum" ] || changed=$((changed + 1))
done
expect "flakey: only the corrupted writes changed on the disk" $changed "$corrupted"
expect_ge "flakey: allocations failed on purpose" $(($(failed) - before)) 2

# --- flakey: a read cannot be watched ---
run dmfilter attach flakey $d --set up=0 --set down=3600 --set corrupt_bio_byte=32 \
	--set corrupt_bio_value=1
echo 1 > $param/fail_nowait
got=$(sectors_sum $d 24 8)
echo 0 > $param/fail_nowait
run dmfilter detach $d
expect "flakey: the unwatched read got what the disk holds" "$got" "$(sectors_sum $d 24 8)"
expect_ge "flakey: the kernel log says why" "$(dmesg | grep -c 'no memory to watch a read')" 1

expect "nothing attached" "$(dmfilter list --json | jq '.attachments | length')" 0
if kernel_log_clean; then pass "kernel log clean"; else fail "kernel log has a splat"; fi
run unload dmfilter
finish
