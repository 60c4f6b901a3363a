#!/bin/sh
# vmlinux-h-check.sh KO KDIR: the committed vmlinux.h passes the build's
# staleness check, and a copy whose struct dmfilter_bio lost a field fails
# it with the "stale" message and the regenerate hint.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
ko=$1 kdir=$2
check="$top/scripts/gen-vmlinux-h --check --ko $ko --kdir $kdir"
stale=$(mktemp)
trap 'rm -f "$stale" "$stale.err"' EXIT

$check || { echo "FAIL: the committed vmlinux.h is reported stale"; exit 1; }
sed '/^struct dmfilter_bio {/,/^};/{/__u64 delay_ns;/d}' "$top/vmlinux.h" >"$stale"
cmp -s "$stale" "$top/vmlinux.h" && { echo "FAIL: could not make a stale copy"; exit 1; }
if $check --header "$stale" 2>"$stale.err"; then
	echo "FAIL: a vmlinux.h without dmfilter_bio.delay_ns passed the check"; exit 1
fi
grep -q "vmlinux.h is stale" "$stale.err" && grep -q "hint: run scripts/gen-vmlinux-h" "$stale.err" ||
	{ echo "FAIL: no clear message:"; cat "$stale.err"; exit 1; }
echo "ok: current header passes; stale header fails with:"
cat "$stale.err"
