# Shared helpers for guest test scripts (sourced). Every check prints one
# line; finish exits non-zero when any check failed.
failures=0

pass() { echo "ok   - $1"; }
fail() { echo "FAIL - $1"; failures=$((failures + 1)); }

# expect DESC GOT WANT
expect() {
	if [ "$2" = "$3" ]; then pass "$1"; else fail "$1: got '$2', want '$3'"; fi
}

# expect_ge DESC GOT MIN (integers)
expect_ge() {
	if [ "$2" -ge "$3" ] 2>/dev/null; then pass "$1 ($2)"; else fail "$1: got '$2', want >= $3"; fi
}

# run CMD...: must succeed; a failure ends the test here.
run() {
	if "$@"; then pass "$*"; else fail "$* (exit $?)"; finish; fi
}

# expect_fail DESC CMD...: CMD must fail.
expect_fail() {
	desc=$1; shift
	if "$@" 2>/tmp/expect_fail.err; then fail "$desc: '$*' succeeded"; else pass "$desc: $(head -1 /tmp/expect_fail.err)"; fi
}

finish() {
	echo "$failures check(s) failed"
	exit $((failures > 0))
}
