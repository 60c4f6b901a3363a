/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmfilter_ops.h - the struct_ops type BPF filters implement, and the
 * context each program call sees. Both types reach BPF programs through
 * the module's BTF (and so through the top-level vmlinux.h): change a
 * field here and regenerate vmlinux.h with scripts/gen-vmlinux-h.
 */
#ifndef DMFILTER_OPS_H
#define DMFILTER_OPS_H

#include <linux/types.h>
#include "uapi/dmfilter.h"

struct bio;

/*
 * What a filter sees of one bio. Everything up to 'status' is read-only
 * for the program (enforced in ops.c's btf_struct_access); it writes only
 * the outputs.
 */
struct dmfilter_bio {
	/* inputs */
	__u32 dev;		/* dev_t of the bio's device (partition or disk) */
	__u32 op;		/* DMFILTER_OP_* */
	__u32 flags;		/* DMFILTER_F_* */
	__u32 bytes;		/* size of the bio */
	__u64 sector;		/* start sector, relative to the attached device */
	__u32 segments;		/* bvec segments */
	__u32 ioprio;
	__u32 pid;		/* submitting thread */
	__u32 tgid;		/* submitting process */
	__u64 cgroup_id;	/* submitter's cgroup v2 id */
	__u64 submit_ns;	/* ktime_get_ns() when intercepted */
	/* outputs */
	__s32 status;		/* negative errno: COMPLETE, or DELAY then complete;
				 * in end_io: the read's status, which it may change */
	__u32 end_io;		/* submit, a read: call ops->end_io when it completes */
	__u64 delay_ns;		/* with DMFILTER_DELAY */
};

struct dmfilter_ops {
	/* Decide one bio: DMFILTER_PASS, DMFILTER_COMPLETE or DMFILTER_DELAY. */
	int (*submit)(struct dmfilter_bio *bio);
	/* The device this filter attaches to (kernel dev_t), set by the loader. */
	__u32 dev;
	/* Reserved for per-filter options; must be 0. */
	__u32 flags;
	/* Unique per device; shown by 'dmfilter list'. */
	char name[DMFILTER_NAME_LEN];
	/*
	 * Optional: a read whose submit set bio->end_io has completed. The
	 * program sees its status in bio->status and may change it, and may
	 * read and change its data (dmf_bio_load_byte, dmf_bio_store_byte).
	 * The return value is ignored.
	 */
	int (*end_io)(struct dmfilter_bio *bio);
};

#endif /* DMFILTER_OPS_H */
