// SPDX-License-Identifier: GPL-2.0
/*
 * dust: bad blocks, like dm-dust (drivers/md/dm-dust.c and
 * Documentation/admin-guide/device-mapper/dm-dust.rst, 6.12).
 *
 * The device is cut into blocks of 'blksz' bytes; the bad ones are keys of
 * the map bad_blocks, which 'dmfilter dust DEV add|remove|clear|...' edits
 * live. While 'enabled' (off at attach, as dm-dust starts in "bypass"):
 *   - a read that touches a bad block fails with EIO;
 *   - a write to a bad block whose write-fail count is not 0 fails with
 *     EIO and counts it down; to one whose count is 0 it succeeds and
 *     takes the block off the list, as a drive remaps a sector.
 * Reads and writes are split as bio_data_dir() does (discards and
 * write-zeroes are writes). While disabled every bio passes.
 *
 * dm-dust splits bios at block boundaries (max_io_len = one block); here a
 * bio spanning several blocks is judged whole: a read fails if any of its
 * blocks is bad, and a write fails whole if any block's count was not 0,
 * while its other bad blocks still heal. An empty flush touches no block
 * (dm-dust maps it to block 0, so a flush can heal block 0 there).
 *
 * Knobs:
 *   blksz     block size in bytes, fixed at attach (default 512; a
 *             multiple of 512, as dm-dust's powers of two are)
 *   enabled   fail reads of bad blocks (live; 'dust enable|disable')
 *   quiet     no kernel log line when a write heals a block (live; 'dust
 *             quiet' toggles it, as dm-dust's message does)
 *   failed_reads, failed_writes, healed   counters
 */
#include "dmfilter.bpf.h"

#define DUST_MAX_BLOCKS (1u << 20)

struct dust_block {
	__u64 write_fails;	/* writes still to fail before it heals */
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, DUST_MAX_BLOCKS);
	__type(key, __u64);	/* block number */
	__type(value, struct dust_block);
} bad_blocks SEC(".maps");

const volatile __u32 blksz = 512;
bool enabled, quiet;
__u64 failed_reads, failed_writes, healed;

DMF_DOC("fails reads of bad blocks until they are rewritten, like dm-dust ('dmfilter dust')");
DMF_KNOB_DOC(blksz, "block size in bytes, a multiple of 512 (fixed at attach)");
DMF_KNOB_DOC(enabled, "fail reads of bad blocks (off: bypass)");
DMF_KNOB_DOC(quiet, "no kernel log line when a write heals a block");
DMF_KNOB_DOC(failed_reads, "reads failed (counter)");
DMF_KNOB_DOC(failed_writes, "writes failed by a write-fail count (counter)");
DMF_KNOB_DOC(healed, "bad blocks healed by a write (counter)");

struct dust_walk {
	__u64 first;		/* first block of the bio */
	bool write;
	bool fail;
	__u32 healed;		/* blocks this write healed */
	__u64 first_healed;
};

/* One block of a read: stop at the first bad one. */
static long dust_read_block(__u64 i, struct dust_walk *w)
{
	__u64 block = w->first + i;

	if (bpf_map_lookup_elem(&bad_blocks, &block)) {
		w->fail = true;
		return 1;
	}
	return 0;
}

/* One block of a write: count a failure down, or heal (dm-dust's __dust_map_write). */
static long dust_write_block(__u64 i, struct dust_walk *w)
{
	__u64 block = w->first + i;
	struct dust_block *b = bpf_map_lookup_elem(&bad_blocks, &block);
	__u64 n;

	if (!b)
		return 0;
	n = b->write_fails;
	if (n) {
		if (__sync_val_compare_and_swap(&b->write_fails, n, n - 1) == n)
			w->fail = true;
		return 0;
	}
	if (!bpf_map_delete_elem(&bad_blocks, &block)) {
		__sync_fetch_and_add(&healed, 1);
		if (!w->healed++)
			w->first_healed = block;
	}
	return 0;
}

static long dust_block(__u64 i, void *ctx)
{
	struct dust_walk *w = ctx;

	return w->write ? dust_write_block(i, w) : dust_read_block(i, w);
}

/* dm-dust's "block N removed from badblocklist by write", once per bio. */
static __noinline void dust_log_healed(struct dmfilter_bio *bio, const struct dust_walk *w)
{
	char msg[96];

	if (w->healed == 1)
		BPF_SNPRINTF(msg, sizeof(msg), "block %llu removed from the bad block list by a write",
			     w->first_healed);
	else
		BPF_SNPRINTF(msg, sizeof(msg), "%u blocks from %llu removed from the bad block list by a write",
			     w->healed, w->first_healed);
	dmf_bio_log(bio, msg, sizeof(msg));
}

int DMFILTER_PROG(dust_submit, struct dmfilter_bio *bio)
{
	__u64 size = blksz >= 512 ? blksz - blksz % 512 : 512;
	struct dust_walk w = {};
	__u64 first_byte, last_byte;

	if (!enabled || !bio->bytes)
		return dmf_pass();
	first_byte = bio->sector << DMF_SECTOR_SHIFT;
	last_byte = first_byte + bio->bytes - 1;
	w.first = first_byte / size;
	w.write = bio->op & 1; /* bio_data_dir() == WRITE */
	bpf_loop(last_byte / size - w.first + 1, dust_block, &w, 0);
	if (w.healed && !quiet)
		dust_log_healed(bio, &w);
	if (!w.fail)
		return dmf_pass();
	__sync_fetch_and_add(w.write ? &failed_writes : &failed_reads, 1);
	return dmf_complete(bio, -EIO);
}

DMFILTER_OPS(dust, .submit = (void *)dust_submit);
