// SPDX-License-Identifier: GPL-2.0
/*
 * delay: holds bios for a set time before they reach the device, like
 * dm-delay (Documentation/admin-guide/device-mapper/delay.rst, 6.12) with
 * separate read, write and flush delays, but timed by an hrtimer, so a
 * delay of 100 us is 100 us and not a jiffy.
 *
 * A flush here is an empty flush or any write carrying PREFLUSH/FUA, as
 * dm-delay's third group. Discards and write-zeroes count as writes.
 * Each knob is live ('dmfilter set'); a per-op knob, when non-zero, wins
 * over the all-ops one; the us knobs add to the ms ones.
 *
 * Knobs:
 *   ms, us              delay of every bio
 *   read_ms, read_us    delay of reads
 *   write_ms, write_us  delay of writes (discard, write-zeroes too)
 *   flush_ms, flush_us  delay of flushes and PREFLUSH/FUA writes
 */
#include "dmfilter.bpf.h"

__u32 ms, us;
__u32 read_ms, read_us;
__u32 write_ms, write_us;
__u32 flush_ms, flush_us;

DMF_DOC("holds bios for a set time, like dm-delay, with separate read, write and flush delays");
DMF_KNOB_DOC(ms, "delay of every bio without a per-op delay (ms)");
DMF_KNOB_DOC(us, "added to ms (us)");
DMF_KNOB_DOC(read_ms, "delay of reads (ms)");
DMF_KNOB_DOC(read_us, "added to read_ms (us)");
DMF_KNOB_DOC(write_ms, "delay of writes, discards, write-zeroes (ms)");
DMF_KNOB_DOC(write_us, "added to write_ms (us)");
DMF_KNOB_DOC(flush_ms, "delay of flushes and PREFLUSH/FUA writes (ms)");
DMF_KNOB_DOC(flush_us, "added to flush_ms (us)");

static __always_inline __u64 dmf_delay_of(__u32 m, __u32 u)
{
	return m * DMF_NSEC_PER_MSEC + u * DMF_NSEC_PER_USEC;
}

int DMFILTER_PROG(delay_submit, struct dmfilter_bio *bio)
{
	__u64 ns = 0;

	if (dmf_is_flush(bio))
		ns = dmf_delay_of(flush_ms, flush_us);
	else if (dmf_is_read(bio))
		ns = dmf_delay_of(read_ms, read_us);
	else
		ns = dmf_delay_of(write_ms, write_us);
	if (!ns)
		ns = dmf_delay_of(ms, us);
	return ns ? dmf_delay(bio, ns, 0) : dmf_pass();
}

DMFILTER_OPS(delay, .submit = (void *)delay_submit);
