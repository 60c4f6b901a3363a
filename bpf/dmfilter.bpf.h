/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmfilter.bpf.h - the SDK every dmfilter filter includes.
 *
 * A filter is one struct_ops map of type 'struct dmfilter_ops' whose
 * submit program returns a verdict for each bio:
 *
 *	#include "dmfilter.bpf.h"
 *
 *	int DMFILTER_PROG(my_submit, struct dmfilter_bio *bio)
 *	{
 *		if (dmf_is_write(bio))
 *			return dmf_complete(bio, -EIO);
 *		return dmf_pass();
 *	}
 *
 *	DMFILTER_OPS(my, .submit = (void *)my_submit);
 *
 * Knobs are globals: 'const volatile' for load-time settings, plain for
 * the ones 'dmfilter set' changes live. The loader fills in the device.
 *
 * Globals named dmf_* are the SDK's, not knobs; the loader sets the ones a
 * filter declares:
 *	const volatile __u64 dmf_attach_ns;	CLOCK_MONOTONIC at attach, the
 *						clock of bio->submit_ns
 */
#ifndef DMFILTER_BPF_H
#define DMFILTER_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "kmod/uapi/dmfilter.h"

char _license[] SEC("license") = "GPL";

#ifndef EIO
#define EIO		5
#define ENXIO		6
#define ENOMEM		12
#define EBUSY		16
#define EAGAIN		11
#define EINVAL		22
#define ENOSPC		28
#define EOPNOTSUPP	95
#define ETIMEDOUT	110
#define ENOLINK		67
#define EBADE		52
#define ENODATA		61
#define EILSEQ		84
#define EREMOTEIO	121
#define ENODEV		19
#define E2BIG		7
#define ERANGE		34
#endif

#define DMF_NSEC_PER_USEC	1000ull
#define DMF_NSEC_PER_MSEC	1000000ull
#define DMF_NSEC_PER_SEC	1000000000ull
#define DMF_SECTOR_SHIFT	9

/* Define a submit program: int DMFILTER_PROG(name, struct dmfilter_bio *bio) */
#define DMFILTER_PROG(name, args...)	\
	SEC("struct_ops/" #name) BPF_PROG(name, ##args)

/*
 * DMFILTER_OPS(name, .submit = ..., ...): the filter's struct_ops map,
 * named name##_ops, in the spirit of sched_ext's SCX_OPS_DEFINE.
 */
#define DMFILTER_OPS(__name, ...)					\
	SEC(".struct_ops.link")						\
	struct dmfilter_ops __name##_ops = {				\
		.name = #__name,					\
		__VA_ARGS__						\
	}

/*
 * DMF_DOC("what the filter does") and DMF_KNOB_DOC(knob, "what it means"):
 * the text 'dmfilter filters' shows. Each is a "name\0text\0" pair in the
 * object's .dmfilter.doc section, which libbpf skips and the kernel never
 * sees; the summary's name is "*".
 */
#define DMF_DOC_SEC	SEC(".dmfilter.doc") __attribute__((used))
#define DMF_DOC(text)	static const char __dmf_doc[] DMF_DOC_SEC = "*\0" text
#define DMF_KNOB_DOC(knob, text) \
	static const char __dmf_doc_##knob[] DMF_DOC_SEC = #knob "\0" text

/* ---- verdicts ---- */
static __always_inline int dmf_pass(void)
{
	return DMFILTER_PASS;
}

static __always_inline int dmf_complete(struct dmfilter_bio *bio, int err)
{
	bio->status = err;
	return DMFILTER_COMPLETE;
}

/* Hold the bio for ns, then pass it on (err == 0) or complete it with err. */
static __always_inline int dmf_delay(struct dmfilter_bio *bio, __u64 ns, int err)
{
	bio->delay_ns = ns;
	bio->status = err;
	return DMFILTER_DELAY;
}

/* ---- kfuncs (kmod/kfuncs.c): the bio's data, the kernel log ---- */

/*
 * The byte at off of the bio's data, or a negative errno: -EAGAIN for a
 * read at submit (its data comes in end_io), -ERANGE past its end.
 */
extern int dmf_bio_load_byte(struct dmfilter_bio *bio, __u32 off) __ksym;

/*
 * Change the byte at off. A write (at submit) is changed on a copy that
 * goes to the device in its place: the writer's buffer keeps its data. A
 * read is changed in end_io, in what the reader gets. 0, or -EAGAIN (a
 * read at submit), -ERANGE, -ENOMEM (no memory for the copy), -E2BIG (a
 * write over 1 MiB is not copied).
 */
extern int dmf_bio_store_byte(struct dmfilter_bio *bio, __u32 off, __u8 val) __ksym;

/*
 * "dmfilter: MAJ:MIN: FILTER: msg" in the kernel log, rate-limited. Format
 * msg first: char m[64]; BPF_SNPRINTF(m, sizeof(m), "block %llu", b);
 */
extern int dmf_bio_log(struct dmfilter_bio *bio, const char *msg, __u32 msg__sz) __ksym;

/*
 * At submit: run the filter's end_io program (DMFILTER_OPS(..., .end_io =
 * ...)) when this read completes; there bio->status is its status, which
 * end_io may change, and its data may be read and changed.
 */
static __always_inline void dmf_watch_read(struct dmfilter_bio *bio)
{
	bio->end_io = 1;
}

/* ---- op and flag tests ---- */
static __always_inline bool dmf_is_read(const struct dmfilter_bio *bio)
{
	return bio->op == DMFILTER_OP_READ;
}

static __always_inline bool dmf_is_write(const struct dmfilter_bio *bio)
{
	return bio->op == DMFILTER_OP_WRITE;
}

/* A bio that asks for a cache flush: an empty flush, or a write with PREFLUSH. */
static __always_inline bool dmf_is_flush(const struct dmfilter_bio *bio)
{
	return bio->op == DMFILTER_OP_FLUSH || (bio->flags & DMFILTER_F_PREFLUSH);
}

static __always_inline bool dmf_has(const struct dmfilter_bio *bio, __u32 flag)
{
	return (bio->flags & flag) == flag;
}

/* ---- block math ---- */
static __always_inline __u64 dmf_end_sector(const struct dmfilter_bio *bio)
{
	return bio->sector + (bio->bytes >> DMF_SECTOR_SHIFT);
}

/* Does the bio touch any sector of [start, start + len)? */
static __always_inline bool dmf_overlaps(const struct dmfilter_bio *bio,
					 __u64 start, __u64 len)
{
	return bio->sector < start + len && start < dmf_end_sector(bio);
}

/* The block (of blksz bytes, a power of two) the bio starts in. */
static __always_inline __u64 dmf_block(const struct dmfilter_bio *bio, __u32 blksz_shift)
{
	return bio->sector >> (blksz_shift - DMF_SECTOR_SHIFT);
}

/* ---- probability ---- */
#define DMF_PPM	1000000u	/* probabilities are parts per million */

/* True with probability ppm / 1,000,000. */
static __always_inline bool dmf_chance(__u32 ppm)
{
	if (ppm >= DMF_PPM)
		return true;
	return ppm && bpf_get_prandom_u32() % DMF_PPM < ppm;
}

#endif /* DMFILTER_BPF_H */
