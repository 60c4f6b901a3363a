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
 *   corrupt_bio_byte  byte N (from 1) of each bio's data becomes
 *                 corrupt_bio_value: of reads (what the reader gets; the
 *                 disk keeps its data) or, with corrupt_bio_write, of
 *                 writes (what reaches the disk; the writer's buffer keeps
 *                 its data), of bios that have every DMFILTER_F_* flag in
 *                 corrupt_bio_flags. dm-flakey's corrupt_bio_byte <N>
 *                 <r|w> <value> <flags>, with our flags for its bi_opf bits.
 *   random_read_corrupt, random_write_corrupt
 *                 with this probability (of 1,000,000,000) a random byte
 *                 of the bio gets a random value
 * dm-flakey refuses drop_writes with error_writes, and either with write
 * corruption; here drop_writes wins, then error_writes. A write corruption
 * that finds no memory for the write's copy (or a write over 1 MiB) passes
 * the write and counts it in corrupt_failed (dm-flakey passes it silently).
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
 *   corrupt_bio_byte, corrupt_bio_value, corrupt_bio_write, corrupt_bio_flags
 *   random_read_corrupt, random_write_corrupt
 *   failed, dropped, corrupted, corrupt_failed   counters
 */
#include "dmfilter.bpf.h"

__u32 up, down;
__u32 up_ms, down_ms;
bool error_reads, drop_writes, error_writes;
__u32 corrupt_bio_byte, corrupt_bio_flags;
__u8 corrupt_bio_value;
bool corrupt_bio_write;
__u32 random_read_corrupt, random_write_corrupt;
__u64 failed, dropped, corrupted, corrupt_failed;
const volatile __u64 dmf_attach_ns;

#define FLAKEY_PROBABILITY_BASE 1000000000u /* dm-flakey's PROBABILITY_BASE */

DMF_DOC("works for 'up' seconds, then fails or drops I/O for 'down' seconds, like dm-flakey");
DMF_KNOB_DOC(up, "seconds the device works, from attach");
DMF_KNOB_DOC(down, "seconds it then misbehaves");
DMF_KNOB_DOC(up_ms, "added to up (ms)");
DMF_KNOB_DOC(down_ms, "added to down (ms)");
DMF_KNOB_DOC(error_reads, "down: reads fail with EIO");
DMF_KNOB_DOC(drop_writes, "down: writes are acknowledged and not written");
DMF_KNOB_DOC(error_writes, "down: writes fail with EIO");
DMF_KNOB_DOC(corrupt_bio_byte, "down: byte N (from 1) of each bio's data is corrupted (0: off)");
DMF_KNOB_DOC(corrupt_bio_value, "the value it gets (0-255)");
DMF_KNOB_DOC(corrupt_bio_write, "corrupt writes (1) or reads (0, dm-flakey's 'r')");
DMF_KNOB_DOC(corrupt_bio_flags, "only bios with all these DMFILTER_F_* flags");
DMF_KNOB_DOC(random_read_corrupt, "down: chance of 1e9 that a read gets a random byte");
DMF_KNOB_DOC(random_write_corrupt, "down: chance of 1e9 that a write gets a random byte");
DMF_KNOB_DOC(failed, "bios failed (counter)");
DMF_KNOB_DOC(dropped, "writes dropped (counter)");
DMF_KNOB_DOC(corrupted, "bytes corrupted (counter)");
DMF_KNOB_DOC(corrupt_failed, "write corruptions skipped: no memory, or over 1 MiB (counter)");

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

static __always_inline bool flakey_chance(__u32 p)
{
	return p && bpf_get_prandom_u32() % FLAKEY_PROBABILITY_BASE < p;
}

/* Does dm-flakey's corrupt_bio_byte apply to this bio (direction and flags)? */
static __always_inline bool flakey_fixed(const struct dmfilter_bio *bio, bool write)
{
	return corrupt_bio_byte && corrupt_bio_write == write && dmf_has(bio, corrupt_bio_flags);
}

static __always_inline void flakey_store(struct dmfilter_bio *bio, __u32 off, __u8 val)
{
	int err = dmf_bio_store_byte(bio, off, val);

	if (!err)
		__sync_fetch_and_add(&corrupted, 1);
	else if (err == -ENOMEM || err == -E2BIG)
		__sync_fetch_and_add(&corrupt_failed, 1);
	/* -ERANGE: byte N is past the bio's end; dm-flakey skips it too. */
}

/* The corruptions of one bio: fixed, then random (dm-flakey's order). */
static __always_inline void flakey_corrupt(struct dmfilter_bio *bio, bool write, __u32 random)
{
	if (flakey_fixed(bio, write))
		flakey_store(bio, corrupt_bio_byte - 1, corrupt_bio_value);
	if (flakey_chance(random))
		flakey_store(bio, bpf_get_prandom_u32() % bio->bytes, bpf_get_prandom_u32());
}

int DMFILTER_PROG(flakey_submit, struct dmfilter_bio *bio)
{
	bool corrupting = corrupt_bio_byte || random_read_corrupt || random_write_corrupt;
	bool all = !error_reads && !drop_writes && !error_writes && !corrupting;

	if (flakey_zone_mgmt(bio) || !flakey_is_down(bio))
		return dmf_pass();
	if (!(bio->op & 1)) { /* bio_data_dir() == READ */
		if (error_reads || all)
			return flakey_fail(bio);
		/* dm-flakey corrupts reads in end_io, when they succeeded. */
		if (bio->bytes && (flakey_fixed(bio, false) || random_read_corrupt))
			dmf_watch_read(bio);
		return dmf_pass();
	}
	if (drop_writes) {
		__sync_fetch_and_add(&dropped, 1);
		return dmf_complete(bio, 0);
	}
	if (error_writes || all)
		return flakey_fail(bio);
	if (bio->bytes)
		flakey_corrupt(bio, true, random_write_corrupt);
	return dmf_pass();
}

int DMFILTER_PROG(flakey_end_io, struct dmfilter_bio *bio)
{
	if (!bio->status && bio->bytes)
		flakey_corrupt(bio, false, random_read_corrupt);
	return 0;
}

DMFILTER_OPS(flakey, .submit = (void *)flakey_submit, .end_io = (void *)flakey_end_io);
