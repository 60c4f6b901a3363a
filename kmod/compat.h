/* SPDX-License-Identifier: GPL-2.0 */
/*
 * compat.h - every difference between the kernels the module builds for
 * (Debian's 6.12 LTS and 7.3), in one place. Each entry gives the newer
 * kernel's interface to the older one, keyed on the version that changed
 * it, so the rest of the module is written against the newest.
 */
#ifndef DMFILTER_COMPAT_H
#define DMFILTER_COMPAT_H

#include <linux/btf.h>
#include <linux/hrtimer.h>
#include <linux/version.h>
#include <linux/workqueue.h>

/*
 * The oldest kernel we build for. Older ones lack what the module is built
 * on: bdev_file_open_by_dev() and register_bpf_struct_ops() for a module's
 * own struct_ops type (both 6.9), bdev_freeze() (6.8). Say so, rather
 * than let the compiler trip over the first of them.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 12, 0)
#error "dmfilter needs Linux 6.12 or newer (built and tested: 6.12, 7.3; README, 'Kernels'): this kernel lacks bdev_file_open_by_dev() and module struct_ops (6.9)"
#endif

/* 6.13: hrtimer_setup() sets the callback with the init; 7.3 has no hrtimer_init(). */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 13, 0)
static inline void hrtimer_setup(struct hrtimer *timer,
				 enum hrtimer_restart (*function)(struct hrtimer *),
				 clockid_t clock_id, enum hrtimer_mode mode)
{
	hrtimer_init(timer, clock_id, mode);
	timer->function = function;
}
#endif

/* 7.3 has no KF_TRUSTED_ARGS: a kfunc's pointer arguments are trusted by default. */
#ifndef KF_TRUSTED_ARGS
#define KF_TRUSTED_ARGS 0
#endif

/*
 * 7.3 warns when a workqueue is neither WQ_PERCPU nor WQ_UNBOUND; 6.12 has
 * no WQ_PERCPU (per-CPU is its default). An enum, so keyed on the version:
 * 7.0 is a bound checked here only in that 6.12 lacks it and 7.3 has it.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(7, 0, 0)
#define WQ_PERCPU 0
#endif

#endif /* DMFILTER_COMPAT_H */
