#!/bin/sh
# flakey, as an application sees it (dm-flakey's modes, 6.12):
# - no mode: in the down interval reads and writes fail with EIO;
# - drop_writes: a write is acknowledged, reads pass, and the device keeps
#   the old data (read back after detach);
# - error_writes: writes fail, reads pass; error_reads: the reverse;
# - the clock starts at attach: up first, then down;
# - up/down alternate (ms intervals): a stream of reads sees both.
. "$DMF_REPO/tests/guest/lib.sh"
nullb_make 1
d=/dev/nullb0
head -c 4096 /dev/urandom > /tmp/old
head -c 4096 /dev/urandom > /tmp/new
run io w $d 0 8 /tmp/old
old=$(sha256sum < /tmp/old | cut -c1-64)

# up=0: always down.
run dmfilter attach flakey $d --set up=0 --set down=3600
expect "down, no mode: a read fails" "$(io r $d 0)" "Input/output error"
expect "down, no mode: a write fails" "$(io w $d 0)" "Input/output error"
expect "the filter counted both" "$(knob $d flakey knobs.failed)" 2
run dmfilter detach $d
expect "nothing was written" "$(sectors_sum $d 0 8)" "$old"

run dmfilter attach flakey $d --set up=0 --set down=3600 --set drop_writes=1
expect "drop_writes: the write is acknowledged" "$(io w $d 0 8 /tmp/new)" ok
expect "drop_writes: reads pass" "$(io r $d 0)" ok
expect "and show the old data" "$(sectors_sum $d 0 8)" "$old"
expect "one write dropped" "$(knob $d flakey knobs.dropped)" 1
run dmfilter detach $d
expect "after detach the device has the old data" "$(sectors_sum $d 0 8)" "$old"

run dmfilter attach flakey $d --set up=0 --set down=3600 --set error_writes=1
expect "error_writes: a write fails" "$(io w $d 0 8 /tmp/new)" "Input/output error"
expect "error_writes: a read passes" "$(io r $d 0)" ok
run dmfilter set $d flakey error_writes=0 error_reads=1
expect "error_reads (set live): a read fails" "$(io r $d 0)" "Input/output error"
expect "error_reads: a write passes" "$(io w $d 0 8 /tmp/new)" ok
run dmfilter detach $d
expect "and wrote its data" "$(sectors_sum $d 0 8)" "$(sha256sum < /tmp/new | cut -c1-64)"

# The clock starts at attach: 4 s up, then down.
run dmfilter attach flakey $d --set up=4 --set down=3600
expect "just attached: up" "$(io r $d 0)" ok
sleep 5
expect "5 s later: down" "$(io r $d 0)" "Input/output error"
run dmfilter detach $d

# 300 ms up, 300 ms down: 40 reads 50 ms apart see both states.
run dmfilter attach flakey $d --set up_ms=300 --set down_ms=300
good=0 bad=0 i=0
while [ $i -lt 40 ]; do
	if [ "$(io r $d 0)" = ok ]; then good=$((good + 1)); else bad=$((bad + 1)); fi
	sleep 0.05
	i=$((i + 1))
done
expect_ge "reads in up intervals pass" $good 1
expect_ge "reads in down intervals fail" $bad 1
expect "the filter counted the failures" "$(knob $d flakey knobs.failed)" $bad
run dmfilter detach $d
run unload dmfilter
finish
