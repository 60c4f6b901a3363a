#!/bin/sh
# A user's own .bpf.c: the CLI compiles it with clang-19 against the SDK
# and attaches it; it acts on the device. A program that writes a field
# the verifier keeps read-only is refused, and the error shows the
# verifier's reason.
. "$DMF_REPO/tests/guest/lib.sh"
modprobe null_blk
dev=/dev/nullb0
src=$DMF_REPO/tests/guest/filters

run dmfilter attach $src/readonly.bpf.c $dev
expect "it is listed under its own name" "$(dmfilter list --json | jq -r '.attachments[0].filter')" readonly
dd if=/dev/zero of=$dev bs=4k count=1 oflag=direct status=none 2>/tmp/dd.err
expect "a write fails" "$? $(sed 's/.*: //' /tmp/dd.err)" "1 Input/output error"
dd if=$dev of=/dev/null bs=4k count=1 iflag=direct status=none
expect "a read passes" $? 0
expect "its own counter moved" "$(dmfilter status $dev --json | jq -r '.attachments[0].knobs.refused')" 1
run dmfilter detach $dev

dmfilter attach $src/writes-sector.bpf.c $dev > /tmp/bad.out 2>&1
expect "the broken filter is refused" $? 1
cat /tmp/bad.out
grep -q "error: the kernel rejected filter .bad." /tmp/bad.out && pass "an error line names the filter" || fail "no error line naming the filter"
grep -qE "only .*(status|delay_ns)|write .* not allowed|access .* denied|cannot write|readonly|read-only" /tmp/bad.out &&
	pass "the verifier's reason is shown" || fail "no verifier reason in the output"
expect "nothing attached" "$(dmfilter list --json | jq '.attachments | length')" 0
expect "nothing pinned" "$(find /sys/fs/bpf/dmfilter -mindepth 1 2>/dev/null | wc -l)" 0
run rmmod dmfilter
finish
