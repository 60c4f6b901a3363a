#!/bin/sh
# Detach loses no bio: N (default 64) direct 4 KiB writes (fio, libaio,
# queue depth N) wait in a 60 s delay when the filter is detached at once. Every
# write completes successfully, fio's verify pass reads all of them back
# intact, and detach released them instead of waiting out the delay (the
# check allows half of it, so a slow guest cannot fail it).
. "$DMF_REPO/tests/guest/lib.sh"
nullb_make 1
dev=/dev/nullb0
n=${1:-64}
queued() { dmfilter status $dev --json | jq -r '.attachments[0].counters.queued'; }

run dmfilter attach delay $dev --set ms=60000
fio --name=queued --filename=$dev --rw=write --bs=4k --size=$((n * 4))k \
	--ioengine=libaio --direct=1 --iodepth=$n --iodepth_batch_submit=$n \
	--verify=crc32c --do_verify=1 --verify_state_save=0 --output-format=json > /tmp/fio.json 2> /tmp/fio.err &
fio=$!
t=0
while [ "$(queued)" -lt $n ] && [ $t -lt 20 ]; do t=$((t + 1)); done
expect "all $n writes wait in the delay queue" "$(queued)" $n
start=$(date +%s%N)
run dmfilter detach $dev
wait $fio
rc=$?
ms=$((($(date +%s%N) - start) / 1000000))
if [ $ms -lt 30000 ]; then pass "detach released them, fio done $ms ms later"; else fail "fio ended $ms ms after detach"; fi
expect "fio finished without error" "$rc $(cat /tmp/fio.err)" "0 "
expect "fio wrote all $n" "$(jq -r '.jobs[0].write.total_ios' /tmp/fio.json)" $n
expect "and read all $n back for verification" "$(jq -r '.jobs[0].read.total_ios' /tmp/fio.json)" $n
expect "no I/O error" "$(jq -r '.jobs[0].error' /tmp/fio.json)" 0
run rmmod dmfilter
finish
