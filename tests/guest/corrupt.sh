#!/bin/sh
# Data corruption through the kfuncs (kmod/data.c), as flakey uses them:
# - a read: exactly the chosen byte of what the application reads changes,
#   and nothing on the disk;
# - a write: exactly that byte changes on the disk, and not in the
#   writer's buffer;
# - random corruption changes at most one byte per bio;
# - detach waits for no read forever and rmmod works after.
. "$DMF_REPO/tests/guest/lib.sh"
nullb_make 1
d=/dev/nullb0
# 4 KiB of 0xAA: a byte set to anything else shows in cmp -l.
head -c 4096 /dev/zero | tr '\000' '\252' > /tmp/aa
run io w $d 0 8 /tmp/aa
# diffs FILE: cmp -l against /tmp/aa, "OFFSET(1-based) OLD NEW" in octal.
diffs() { cmp -l /tmp/aa "$1" | tr -s ' ' | sed 's/^ //' | tr '\n' ';'; }
readback() { dd if=$d of=/tmp/got bs=4096 count=1 iflag=direct status=none; }

run dmfilter attach flakey $d --set up=0 --set down=3600 --set corrupt_bio_byte=32 --set corrupt_bio_value=1
run readback
expect "read: byte 32 of what was read is 1, no other byte changed" "$(diffs /tmp/got)" "32 252 1;"
expect "one byte corrupted" "$(knob $d flakey knobs.corrupted)" 1
run dmfilter detach $d
run readback
expect "the disk kept its data" "$(diffs /tmp/got)" ""

# A write from a page-aligned buffer, which is compared after the write.
run dmfilter attach flakey $d --set up=0 --set down=3600 --set corrupt_bio_write=1 \
	--set corrupt_bio_byte=100 --set corrupt_bio_value=0x55
python3 - "$d" > /tmp/writer.out <<'PY'
import mmap, os, sys
fd = os.open(sys.argv[1], os.O_WRONLY | os.O_DIRECT)
buf = mmap.mmap(-1, 4096)
buf.write(b"\xaa" * 4096)
os.pwritev(fd, [buf], 0)
print("unchanged" if buf[:] == b"\xaa" * 4096 else "changed")
PY
expect "write: the writer's buffer is unchanged" "$(cat /tmp/writer.out)" unchanged
run dmfilter detach $d
run readback
expect "the disk has byte 100 = 0x55, no other byte changed" "$(diffs /tmp/got)" "100 252 125;"
run io w $d 0 8 /tmp/aa

# random_read_corrupt at probability 1: one random byte per read.
run dmfilter attach flakey $d --set up=0 --set down=3600 --set random_read_corrupt=1000000000
run readback
n=$(cmp -l /tmp/aa /tmp/got | grep -c .)
expect "random: at most one byte changed ($n)" "$([ "$n" -le 1 ] && echo yes)" yes
expect "random: one corruption counted" "$(knob $d flakey knobs.corrupted)" 1
run dmfilter detach $d
run readback
expect "the disk kept its data" "$(diffs /tmp/got)" ""

# Reads watched by end_io under load, then detach and unload.
run dmfilter attach flakey $d --set up=0 --set down=3600 --set random_read_corrupt=500000000
fio --name=r --filename=$d --rw=randread --bs=4k --direct=1 --ioengine=libaio --iodepth=32 \
	--runtime=3 --time_based --size=64M > /tmp/fio.out 2>&1 &
sleep 1
run dmfilter detach $d
wait
grep -q 'err= 0' /tmp/fio.out && pass "fio reads completed without error" || fail "fio: $(tail -3 /tmp/fio.out)"
if kernel_log_clean; then pass "kernel log clean"; else fail "kernel log has a splat"; fi
run unload dmfilter
finish
