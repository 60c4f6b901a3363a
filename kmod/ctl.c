// SPDX-License-Identifier: GPL-2.0
/*
 * ctl.c - /dev/dmfilter, the control device: versioned ioctls that report
 * what is attached (remap start/stop join them later). Only CAP_SYS_ADMIN
 * may use it; every argument is checked and a bad one gets -EINVAL.
 */
#include "dmfilter.h"

#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/uaccess.h>

struct dmf_list_ctx {
	struct dmfilter_filter_info __user *out;
	u32 capacity;
	u32 count;
};

static void dmf_stats_sum(struct dmf_filter *f, struct dmfilter_filter_info *info)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		const struct dmf_stats *s = per_cpu_ptr(f->stats, cpu);

		info->seen += s->seen;
		info->passed += s->passed;
		info->completed += s->completed;
		info->delayed += s->delayed;
		info->bytes += s->bytes;
	}
	info->queued = dmf_queue_count(&f->queue);
}

static int dmf_list_one(struct dmf_filter *f, u32 pos, void *arg)
{
	struct dmf_list_ctx *ctx = arg;
	struct dmfilter_filter_info info = {};

	if (ctx->count < ctx->capacity) {
		info.dev = f->dev->dev;
		info.position = pos;
		strscpy(info.name, f->name, sizeof(info.name));
		dmf_stats_sum(f, &info);
		if (copy_to_user(&ctx->out[ctx->count], &info, sizeof(info)))
			return -EFAULT;
	}
	ctx->count++;
	return 0;
}

static long dmf_ioc_list(struct dmfilter_list __user *uarg)
{
	struct dmfilter_list req;
	struct dmf_list_ctx ctx;
	int ret;

	if (copy_from_user(&req, uarg, sizeof(req)))
		return -EFAULT;
	if (req.version != DMFILTER_IOCTL_VERSION ||
	    req.entry_size != sizeof(struct dmfilter_filter_info) ||
	    req.capacity > (1u << 20) || (req.capacity && !req.entries))
		return -EINVAL;
	ctx.out = u64_to_user_ptr(req.entries);
	ctx.capacity = req.capacity;
	ctx.count = 0;
	ret = dmf_table_for_each(dmf_list_one, &ctx);
	if (ret)
		return ret;
	if (put_user(ctx.count, &uarg->count))
		return -EFAULT;
	return 0;
}

static long dmf_ctl_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	switch (cmd) {
	case DMFILTER_IOC_LIST:
		return dmf_ioc_list((struct dmfilter_list __user *)arg);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations dmf_ctl_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = dmf_ctl_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

static struct miscdevice dmf_ctl_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "dmfilter",
	.fops = &dmf_ctl_fops,
	.mode = 0600,
};

int dmf_ctl_init(void)
{
	return misc_register(&dmf_ctl_dev);
}

void dmf_ctl_exit(void)
{
	misc_deregister(&dmf_ctl_dev);
}
