// SPDX-License-Identifier: GPL-2.0
/*
 * flakey: a device that works for 'up' seconds, then misbehaves for
 * 'down' seconds, over and over, from the moment of attach, like
 * dm-flakey (drivers/md/dm-flakey.c and
 * Documentation/admin-guide/device-mapper/dm-flakey.rst, 6.12).
 *
 * In a down interval, with none of the modes below set, every bio fails
 * with EIO (dm-flakey sets error_reads and error_writes then). With modes
 * set, only what they name misbehaves:
 *   error_reads   reads fail with EIO
 *   drop_writes   writes are reported done and never reach the device
 *   error_writes  writes fail with EIO
 * dm-flakey refuses drop_writes with error_writes; here drop_writes wins.
 *
 * Which bios are reads and writes follows dm-flakey: bio_data_dir(), so
 * discards and write-zeroes are writes, and so are flushes (they reach a
 * DM target as empty PREFLUSH writes). Zone management bios always pass.
 * The clock is the loader's CLOCK_MONOTONIC at attach, where dm-flakey
 * counts whole seconds of jiffies from table load; up_ms and down_ms add
 * finer intervals. up + down = 0 never goes down (dm-flakey refuses it).
 *
 * Knobs (all live):
 *   up, down          seconds up, then down
 *   up_ms, down_ms    added to them (ms)
 *   error_reads, drop_writes, error_writes   the down modes (0/1)
 *   failed, dropped   bios failed and writes dropped (counters)
 */
#include "dmfilter.bpf.h"

__u32 up, down;
__u32 up_ms, down_ms;
bool error_reads, drop_writes, error_writes;
__u64 failed, dropped;
const volatile __u64 dmf_attach_ns;

DMF_DOC("works for 'up' seconds, then fails or drops I/O for 'down' seconds, like dm-flakey");
DMF_KNOB_DOC(up, "seconds the device works, from attach");
DMF_KNOB_DOC(down, "seconds it then misbehaves");
DMF_KNOB_DOC(up_ms, "added to up (ms)");
DMF_KNOB_DOC(down_ms, "added to down (ms)");
DMF_KNOB_DOC(error_reads, "down: reads fail with EIO");
DMF_KNOB_DOC(drop_writes, "down: writes are acknowledged and not written");
DMF_KNOB_DOC(error_writes, "down: writes fail with EIO");
DMF_KNOB_DOC(failed, "bios failed (counter)");
DMF_KNOB_DOC(dropped, "writes dropped (counter)");

/* REQ_OP_ZONE_OPEN .. REQ_OP_ZONE_RESET_ALL: dm-flakey's op_is_zone_mgmt(). */
static __always_inline bool flakey_zone_mgmt(const struct dmfilter_bio *bio)
{
	return bio->op >= 10 && bio->op <= 15;
}

static __always_inline bool flakey_is_down(const struct dmfilter_bio *bio)
{
	__u64 up_ns = up * DMF_NSEC_PER_SEC + up_ms * DMF_NSEC_PER_MSEC;
	__u64 period = up_ns + down * DMF_NSEC_PER_SEC + down_ms * DMF_NSEC_PER_MSEC;

	if (!period || bio->submit_ns < dmf_attach_ns)
		return false;
	return (bio->submit_ns - dmf_attach_ns) % period >= up_ns;
}

static __always_inline int flakey_fail(struct dmfilter_bio *bio)
{
	__sync_fetch_and_add(&failed, 1);
	return dmf_complete(bio, -EIO);
}

int DMFILTER_PROG(flakey_submit, struct dmfilter_bio *bio)
{
	bool all = !error_reads && !drop_writes && !error_writes;

	if (flakey_zone_mgmt(bio) || !flakey_is_down(bio))
		return dmf_pass();
	if (!(bio->op & 1)) /* bio_data_dir() == READ */
		return error_reads || all ? flakey_fail(bio) : dmf_pass();
	if (drop_writes) {
		__sync_fetch_and_add(&dropped, 1);
		return dmf_complete(bio, 0);
	}
	return error_writes || all ? flakey_fail(bio) : dmf_pass();
}

DMFILTER_OPS(flakey, .submit = (void *)flakey_submit);
