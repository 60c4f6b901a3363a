// SPDX-License-Identifier: GPL-2.0
/*
 * error: fails bios, like dm-error (drivers/md/dm-target.c, 6.12:
 * io_err_map() returns DM_MAPIO_KILL, so every bio ends with
 * BLK_STS_IOERR, EIO), and then narrower: only some ops, only a sector
 * range, with the errno of your choice. The block layer maps the errno to
 * a status (errno_to_blk_status()) and the application sees that status's
 * errno: ENOSPC, ETIMEDOUT, ENOLINK, ENODATA, EILSEQ, EAGAIN, EOPNOTSUPP
 * and EBADE come back as themselves, anything else as EIO.
 *
 * Knobs (all live):
 *   errno           the error, a positive errno (default 5, EIO; 0 or
 *                   less means EIO)
 *   reads, writes   fail these ops (1, default) or pass them (0); writes
 *                   include discard and write-zeroes
 *   flushes         fail flushes: empty flushes and PREFLUSH writes (1)
 *   start, sectors  only bios touching [start, start + sectors), in 512-byte
 *                   sectors of the attached device; sectors 0 = to the end
 *   failed          bios failed so far (a counter)
 */
#include "dmfilter.bpf.h"

__s32 errno = EIO;
bool reads = true, writes = true, flushes = true;
__u64 start, sectors;
__u64 failed;

DMF_DOC("fails bios like dm-error, or only some ops or a sector range, with a chosen errno");
DMF_KNOB_DOC(errno, "the errno (EIO default; ENOSPC, ETIMEDOUT, ... by name)");
DMF_KNOB_DOC(reads, "fail reads (1) or pass them (0)");
DMF_KNOB_DOC(writes, "fail writes, discards, write-zeroes (1) or pass them (0)");
DMF_KNOB_DOC(flushes, "fail flushes and PREFLUSH writes (1) or pass them (0)");
DMF_KNOB_DOC(start, "first sector of the failing range");
DMF_KNOB_DOC(sectors, "length of the range in sectors (0: to the end)");
DMF_KNOB_DOC(failed, "bios failed (counter)");

static __always_inline bool error_wants_op(const struct dmfilter_bio *bio)
{
	if (dmf_is_flush(bio))
		return flushes;
	if (dmf_is_read(bio))
		return reads;
	return writes;
}

/* Empty bios (flushes) have no sectors: the range does not apply. */
static __always_inline bool error_in_range(const struct dmfilter_bio *bio)
{
	if (!bio->bytes)
		return true;
	if (!sectors)
		return dmf_end_sector(bio) > start;
	return dmf_overlaps(bio, start, sectors);
}

int DMFILTER_PROG(error_submit, struct dmfilter_bio *bio)
{
	if (!error_wants_op(bio) || !error_in_range(bio))
		return dmf_pass();
	__sync_fetch_and_add(&failed, 1);
	/* Status 0 would complete the bio as done: never let errno=0 drop data. */
	return dmf_complete(bio, errno > 0 ? -errno : -EIO);
}

DMFILTER_OPS(error, .submit = (void *)error_submit);
