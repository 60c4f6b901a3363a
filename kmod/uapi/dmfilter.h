/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * uapi/dmfilter.h - what the dmfilter module shares with user space and
 * with BPF filters: verdicts, context flags, and the /dev/dmfilter ioctls.
 *
 * Included by the module, by the loader (C++) and by bpf/dmfilter.bpf.h.
 * BPF programs get the kernel types from vmlinux.h, so this header only
 * uses plain fixed-width types and #defines (no enums that would clash
 * with the module's BTF in vmlinux.h).
 */
#ifndef _UAPI_DMFILTER_H
#define _UAPI_DMFILTER_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#include <linux/ioctl.h>
#endif

/* Return values of dmfilter_ops.submit. */
#define DMFILTER_PASS		0	/* go on down the chain, then to the device */
#define DMFILTER_COMPLETE	1	/* end the bio now with ctx->status */
#define DMFILTER_DELAY		2	/* park ctx->delay_ns, then pass (status 0) or complete */

/* dmfilter_bio.flags: the bio's request flags a filter may care about. */
#define DMFILTER_F_SYNC		(1u << 0)
#define DMFILTER_F_META		(1u << 1)
#define DMFILTER_F_PRIO		(1u << 2)
#define DMFILTER_F_FUA		(1u << 3)
#define DMFILTER_F_PREFLUSH	(1u << 4)
#define DMFILTER_F_NOWAIT	(1u << 5)
#define DMFILTER_F_RAHEAD	(1u << 6)
#define DMFILTER_F_PARTITION	(1u << 7)	/* bio addressed a partition */

/* dmfilter_bio.op: the block layer's REQ_OP_* numbers (stable ABI). */
#define DMFILTER_OP_READ		0
#define DMFILTER_OP_WRITE		1
#define DMFILTER_OP_FLUSH		2
#define DMFILTER_OP_DISCARD		3
#define DMFILTER_OP_SECURE_ERASE	5
#define DMFILTER_OP_ZONE_APPEND		7
#define DMFILTER_OP_WRITE_ZEROES	9

#define DMFILTER_NAME_LEN	32

/* Longest delay a filter may ask for; longer asks are clamped. */
#define DMFILTER_MAX_DELAY_NS	(3600ull * 1000000000ull)

/* ---- /dev/dmfilter ioctls ---- */

#define DMFILTER_IOCTL_VERSION	1

/* BPF programs see these two through vmlinux.h (the module's BTF). */
#ifndef __VMLINUX_H__

/* One attached filter, as DMFILTER_IOC_LIST reports it. */
struct dmfilter_filter_info {
	__u32 dev;		/* kernel dev_t (major << 20 | minor) */
	__u32 position;		/* 0 = runs first in the device's chain */
	char name[DMFILTER_NAME_LEN];
	__u64 seen;		/* bios the program was run on */
	__u64 passed;
	__u64 completed;	/* ended by the filter with an error status */
	__u64 delayed;
	__u64 queued;		/* delayed bios not yet released */
	__u64 bytes;		/* bytes of the bios seen */
};

struct dmfilter_list {
	__u32 version;		/* in: DMFILTER_IOCTL_VERSION */
	__u32 entry_size;	/* in: sizeof(struct dmfilter_filter_info) */
	__u32 capacity;		/* in: entries the buffer holds */
	__u32 count;		/* out: entries that exist (may exceed capacity) */
	__u64 entries;		/* in: user pointer to capacity entries */
};

/*
 * Remap: every bio of dev goes to dm_dev instead, a device-mapper device
 * whose table reaches dev through the dmfilter-linear target.
 */
struct dmfilter_remap {
	__u32 version;		/* in: DMFILTER_IOCTL_VERSION */
	__u32 size;		/* in: sizeof(struct dmfilter_remap) */
	__u32 dev;		/* in: the source, kernel dev_t */
	__u32 dm_dev;		/* in (start): the DM device, kernel dev_t */
};

/* One remapped device, as DMFILTER_IOC_REMAP_LIST reports it. */
struct dmfilter_remap_info {
	__u32 dev;		/* the source */
	__u32 dm_dev;		/* where its bios go */
	__u64 redirected;	/* bios sent to dm_dev */
	__u64 in_flight;	/* of those, not yet completed */
};

#endif /* !__VMLINUX_H__ */

#define DMFILTER_IOC_MAGIC	0xDF
#define DMFILTER_IOC_LIST	_IOWR(DMFILTER_IOC_MAGIC, 1, struct dmfilter_list)
#define DMFILTER_IOC_REMAP_START	_IOW(DMFILTER_IOC_MAGIC, 2, struct dmfilter_remap)
#define DMFILTER_IOC_REMAP_STOP		_IOW(DMFILTER_IOC_MAGIC, 3, struct dmfilter_remap)
/* struct dmfilter_list with entry_size = sizeof(struct dmfilter_remap_info) */
#define DMFILTER_IOC_REMAP_LIST		_IOWR(DMFILTER_IOC_MAGIC, 4, struct dmfilter_list)

#endif /* _UAPI_DMFILTER_H */
