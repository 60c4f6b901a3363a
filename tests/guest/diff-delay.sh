#!/bin/sh
# delay against dm-delay (6.12): 50 ms on reads and writes, dm-delay on
# nullb0 (/dev/mapper/ref) and delay on nullb1, the same fio job (4 KiB
# direct random reads, then writes, one at a time). Both must complete
# every I/O without error, never faster than the delay, and with medians
# within 10 ms of each other (dm-delay rounds up to jiffies: +0..4 ms at
# HZ=250). Latencies are fio's completion latencies.
. "$DMF_REPO/tests/guest/lib.sh"
nullb_make 2
ref=/dev/mapper/ref ours=/dev/nullb1
run dmsetup create ref --table "0 $(blockdev --getsz /dev/nullb0) delay /dev/nullb0 0 50"
run dmfilter attach delay $ours --set ms=50

# lat DEV RW: "error ios p1_ms p50_ms" of 30 I/Os of fio's RW (read|write).
lat() {
	fio --name=lat --filename="$1" --rw=rand$2 --bs=4k --direct=1 --ioengine=psync \
		--number_ios=30 --size=64M --output-format=json 2>/dev/null |
		jq -r ".jobs[0] | [.error, .$2.total_ios,
			(.$2.clat_ns.percentile[\"1.000000\"] / 1e6 | floor),
			(.$2.clat_ns.percentile[\"50.000000\"] / 1e6 | floor)] | @tsv"
}

for rw in read write; do
	set -- $(lat $ref $rw); rerr=$1 rios=$2 rmin=$3 rmed=$4
	set -- $(lat $ours $rw); oerr=$1 oios=$2 omin=$3 omed=$4
	echo "$rw: dm-delay p1 $rmin ms p50 $rmed ms; delay p1 $omin ms p50 $omed ms"
	expect "$rw: dm-delay: 30 I/Os, fio error 0" "$rios $rerr" "30 0"
	expect "$rw: delay: 30 I/Os, fio error 0" "$oios $oerr" "30 0"
	expect_ge "$rw: dm-delay never faster than 50 ms (p1)" "$rmin" 50
	expect_ge "$rw: delay never faster than 50 ms (p1)" "$omin" 50
	diff=$((omed - rmed))
	expect "$rw: medians within 10 ms ($omed vs $rmed)" "$([ ${diff#-} -le 10 ] && echo yes)" yes
done
run dmsetup remove ref
run dmfilter detach $ours
run rmmod dmfilter
finish
