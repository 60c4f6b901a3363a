#!/bin/sh
# Host side: under --tcg multi, a kernel that dies before the guest's init
# runs is booted again, twice at most, and then the run fails with 125.
# The kernel is made to die at boot by a command line without the lab's
# init (QEMU keeps the last -append). A guest that boots and fails is not
# retried: its own status comes back at once.
# Usage: lab-boot-retry.sh SCRIPTS/GUEST ARGS...
out=$(DMF_QEMU_EXTRA="-append panic=-1" "$@" --tcg multi --timeout 60 -- true 2>&1)
rc=$?
[ $rc = 125 ] || { echo "want exit 125, got $rc"; exit 1; }
n=$(echo "$out" | grep -c 'died while booting.*booting again')
[ "$n" = 2 ] || { echo "want 2 retries, got $n"; echo "$out" | tail; exit 1; }
out=$("$@" --tcg multi --timeout 60 -- sh -c "exit 3" 2>&1)
rc=$?
[ $rc = 3 ] || { echo "a booted guest's status: want 3, got $rc"; exit 1; }
echo "$out" | grep -q 'booting again' && { echo "a booted guest was retried"; exit 1; }
echo "boot retry: ok"
