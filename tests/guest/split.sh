#!/bin/sh
# Split and stacked bios are filtered once. With null_blk's max_sectors_kb
# forced to 4, every 64 KiB direct read is split by the block layer into 16
# pieces; the tail of each split is the same struct bio re-submitted, and
# must not be counted (or delayed) again. Then the same under dm-linear:
# the filter on the DM device sees the upper bios, the one on nullb0 the
# clones DM submits, each once. See docs/design.md, "Which bios a filter sees".
. "$DMF_REPO/tests/guest/lib.sh"
modprobe null_blk
dev=/dev/nullb0
q=/sys/block/nullb0/queue
seen() { dmfilter status "$1" --json | jq -r ".attachments[] | select(.filter == \"$2\") | .counters.seen"; }
bios() { dmfilter status "$1" --json | jq -r ".attachments[] | select(.filter == \"$2\") | .knobs.bios"; }
split_ios() { awk '{ print $1 }' /sys/block/nullb0/stat; } # reads completed by the disk

# dm-linear over nullb0, created while nullb0's limits are still large, so
# DM hands nullb0 whole 64 KiB clones that nullb0 itself must split.
sectors=$(blockdev --getsz $dev)
run dmsetup create dmf_split --table "0 $sectors linear $dev 0"
upper=/dev/mapper/dmf_split
echo 4 > $q/max_sectors_kb
expect "nullb0 max_sectors_kb forced small" "$(cat $q/max_sectors_kb)" 4

run dmfilter attach pass $dev
before=$(split_ios)
dd if=$dev of=/dev/null bs=64k count=10 iflag=direct status=none
done_ios=$(( $(split_ios) - before ))
expect_ge "the disk completed the split pieces" "$done_ios" 160
expect "module counted each 64 KiB read once, not per piece" "$(seen $dev pass)" 10
expect "the filter program ran once per read" "$(bios $dev pass)" 10

run dmfilter attach pass $upper
dd if=$upper of=/dev/null bs=64k count=10 iflag=direct status=none
expect "the DM device's filter saw the 10 upper reads once each" "$(seen $upper pass)" 10
expect "nullb0's filter saw DM's 10 clones once each" "$(seen $dev pass)" 20
expect "and ran its program once per clone" "$(bios $dev pass)" 20

run dmfilter detach $upper
run dmfilter detach $dev
run dmsetup remove dmf_split
run rmmod dmfilter
finish
