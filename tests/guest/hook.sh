#!/bin/sh
# When the hook patches kernel text (kmod/hook.c). hook=lazy: installed by
# the first attach, kept for hook_linger_ms after the last detach, so ten
# attach/detach cycles within the linger install it once; then removed.
# hook=eager: installed at load, kept across detach, removed at unload.
# Unload removes a lingering hook. A bad hook= value refuses the load. list --json and sysfs agree.
. "$DMF_REPO/tests/guest/lib.sh"
modprobe null_blk
dev=/dev/nullb0
p=/sys/module/dmfilter/parameters
ko=${DMF_KO:-$DMF_BUILD/kmod/dmfilter.ko}
installs() { dmesg | grep -c 'dmfilter: hook installed'; }
json_hook() { dmfilter list --json | jq -r ".hook.$1"; }

expect "lazy is the default" "$(cat $p/hook)" lazy
expect "nothing attached: no hook" "$(cat $p/hook_installed)" N
expect "list --json agrees" "$(json_hook installed)" false
run dmfilter attach pass $dev
expect "first attach installs it" "$(cat $p/hook_installed)" Y
run dmfilter detach $dev
expect "it lingers after the last detach" "$(json_hook installed)" true
i=0
while [ $i -lt 10 ]; do
	dmfilter attach pass $dev >/dev/null && dmfilter detach $dev >/dev/null || fail "cycle $i"
	i=$((i + 1))
done
expect "11 cycles within the linger installed it once" "$(installs)" 1
echo 200 > $p/hook_linger_ms
run dmfilter attach pass $dev
run dmfilter detach $dev
sleep 1
expect "removed once the linger (200 ms) passed" "$(cat $p/hook_installed)" N
expect "and the log says so" "$(dmesg | grep -c 'dmfilter: hook removed')" 1
echo 0 > $p/hook_linger_ms
run dmfilter attach pass $dev
run dmfilter detach $dev
expect "hook_linger_ms=0 removes it at once" "$(cat $p/hook_installed)" N
echo 60000 > $p/hook_linger_ms
run dmfilter attach pass $dev
run dmfilter detach $dev
run rmmod dmfilter
expect "unload while lingering removed it" "$(dmesg | grep -c 'dmfilter: hook removed')" 3

expect_fail "hook=bogus refuses the load" insmod "$ko" hook=bogus
run insmod "$ko" hook=eager
expect "eager: installed at load" "$(cat $p/hook_installed)" Y
expect "list --json shows the mode" "$(json_hook mode)" eager
run dmfilter attach pass $dev
dd if=$dev of=/dev/null bs=4k count=10 iflag=direct status=none
expect "the eager hook filters" "$(dmfilter status $dev --json | jq -r '.attachments[0].counters.seen')" 10
run dmfilter detach $dev
expect "eager: kept after detach" "$(cat $p/hook_installed)" Y
run rmmod dmfilter
expect "eager: unload removed it" "$(dmesg | grep -c 'dmfilter: hook removed')" 4
finish
