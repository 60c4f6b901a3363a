#!/bin/sh
# flakey against dm-flakey (6.12): for each down mode (none, error_reads,
# drop_writes, error_writes, corrupt_bio_byte on reads and on writes),
# dm-flakey on nullb0 (/dev/mapper/ref) and flakey on nullb1, both down
# from the start (up 0), get the same direct reads and writes and an
# fsync; each outcome (ok with a hash of the data read, or the errno
# text) and the data left on the device after the fault is gone must be
# the same on both. Then both up (down 0): everything passes.
. "$DMF_REPO/tests/guest/lib.sh"
nullb_make 2
ref=/dev/mapper/ref ours=/dev/nullb1
size=$(blockdev --getsz /dev/nullb0)
head -c 65536 /dev/urandom > /tmp/old
head -c 65536 /dev/urandom > /tmp/new

# step OP DEV: one operation; prints ok or the errno text.
step() {
	case $1 in
	read) r=$(outcome dd if=$2 of=/tmp/read bs=65536 count=1 iflag=direct status=none)
		[ "$r" = ok ] && r="ok $(sha256sum < /tmp/read | cut -c1-16)"
		echo "$r" ;;
	write) io w $2 0 128 /tmp/new ;;
	fsync) outcome dd if=/tmp/new of=$2 bs=4096 seek=64 count=1 conv=notrunc,fsync status=none ;;
	esac
}

# compare MODE UP DOWN FEATURES KNOBS: one table against one attachment.
compare() {
	for d in /dev/nullb0 $ours; do run io w $d 0 128 /tmp/old; done
	run dmsetup create ref --table "0 $size flakey /dev/nullb0 0 $2 $3 $4"
	run dmfilter attach flakey $ours --set up=$2 --set down=$3 $5
	for op in read write read fsync; do
		expect "$1: $op: as dm-flakey" "$(step $op $ours)" "$(step $op $ref)"
	done
	run dmsetup remove ref
	run dmfilter detach $ours
	left=$(sectors_sum $ours 0 128)
	expect "$1: the data left is the same" "$left" "$(sectors_sum /dev/nullb0 0 128)"
}

compare "no mode" 0 3600 "" ""
compare error_reads 0 3600 "1 error_reads" "--set error_reads=1"
compare drop_writes 0 3600 "1 drop_writes" "--set drop_writes=1"
expect "drop_writes: the old data is there" "$left" "$(sha256sum < /tmp/old | cut -c1-64)"
compare error_writes 0 3600 "1 error_writes" "--set error_writes=1"
compare "corrupt reads" 0 3600 "5 corrupt_bio_byte 32 r 1 0" "--set corrupt_bio_byte=32 --set corrupt_bio_value=1"
compare "corrupt writes" 0 3600 "5 corrupt_bio_byte 224 w 0 0" \
	"--set corrupt_bio_byte=224 --set corrupt_bio_value=0 --set corrupt_bio_write=1"
expect "corrupt writes: the disk's data changed" \
	"$([ "$left" != "$(sha256sum < /tmp/old | cut -c1-64)" ] && echo yes)" yes
compare "up" 3600 0 "" ""
run unload dmfilter
finish
