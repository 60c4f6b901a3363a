#!/bin/sh
# The whole path: the loader attaches the pass filter to a null_blk disk,
# the module runs it on every bio (its counters move with the I/O we do),
# rmmod is refused while it is attached, detach removes it, rmmod works.
. "$DMF_REPO/tests/guest/lib.sh"
modprobe null_blk
dev=/dev/nullb0

run dmfilter attach pass $dev
dmfilter list --json > /tmp/list.json
expect "one attachment listed" \
	"$(jq -r '.attachments | length' /tmp/list.json)" 1
expect "its filter is pass" "$(jq -r '.attachments[0].filter' /tmp/list.json)" pass
expect "on $dev" "$(jq -r '.attachments[0].device' /tmp/list.json)" $dev

dd if=$dev of=/dev/null bs=4k count=100 iflag=direct status=none
dmfilter status $dev --json > /tmp/status.json
seen=$(jq -r '.attachments[0].counters.seen' /tmp/status.json)
bios=$(jq -r '.attachments[0].knobs.bios' /tmp/status.json)
expect_ge "module counted the 100 direct reads" "$seen" 100
expect_ge "the program's own counter saw them" "$bios" 100

expect_fail "rmmod refused while attached" rmmod dmfilter
run dmfilter detach $dev
expect "no attachment left" "$(dmfilter list --json | jq -r '.attachments | length')" 0
expect_fail "detach of nothing is an error" dmfilter detach $dev
run rmmod dmfilter
finish
