#!/bin/sh
# The delay filter, as fio sees it (dm-delay's model: separate read, write
# and flush delays). Each delayed op's mean latency is at least the delay
# asked for, and an op without a delay stays well under it; 'dmfilter set'
# changes delays live. Only bounds with wide margins are asserted: how
# close the delay is to the asked one is a benchmark (bench/), not a test.
. "$DMF_REPO/tests/guest/lib.sh"
modprobe null_blk
dev=/dev/nullb0
# lat_ms read|write|flush: mean latency of 10 4k direct I/Os of that kind
# (flush: fdatasync after each write), in whole ms, from fio's JSON.
lat_ms() {
	case $1 in
	read) args="--rw=randread" field=read.clat_ns ;;
	write) args="--rw=randwrite" field=write.clat_ns ;;
	flush) args="--rw=write --fdatasync=1" field=sync.lat_ns ;;
	esac
	fio --name=lat --filename=$dev --bs=4k --size=4M --direct=1 --ioengine=psync \
		--number_ios=10 $args --output-format=json | jq -r ".jobs[0].$field.mean / 1e6 | floor"
}
# at_least DESC GOT MIN, under DESC GOT MAX
at_least() { if [ "$2" -ge "$3" ]; then pass "$1 ($2 ms)"; else fail "$1: $2 ms, want >= $3"; fi; }
under() { if [ "$2" -lt "$3" ]; then pass "$1 ($2 ms)"; else fail "$1: $2 ms, want < $3"; fi; }

run dmfilter attach delay $dev --set read_ms=20
at_least "read_ms=20: reads take 20 ms or more" "$(lat_ms read)" 20
under "writes are not delayed" "$(lat_ms write)" 10
run dmfilter set $dev delay read_ms=0 write_ms=20
at_least "set write_ms=20 (live): writes take 20 ms or more" "$(lat_ms write)" 20
under "reads no longer delayed" "$(lat_ms read)" 10
run dmfilter set $dev delay write_ms=0 flush_ms=30
at_least "flush_ms=30: each fdatasync takes 30 ms or more" "$(lat_ms flush)" 30
run dmfilter set $dev delay flush_ms=0 ms=15
at_least "ms=15 delays reads" "$(lat_ms read)" 15
at_least "and writes" "$(lat_ms write)" 15
run dmfilter set $dev delay ms=0 read_us=25000
at_least "read_us=25000: reads take 25 ms or more" "$(lat_ms read)" 25
run dmfilter detach $dev
under "after detach reads are fast again" "$(lat_ms read)" 10
run rmmod dmfilter
finish
