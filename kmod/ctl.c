// SPDX-License-Identifier: GPL-2.0
/*
 * ctl.c - /dev/dmfilter, the control device: versioned ioctls that report
 * what is attached and start, stop and list remaps (remap.c). Only
 * CAP_SYS_ADMIN may use it; every argument is checked and a bad one gets
 * -EINVAL.
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

/* Read and check a list request whose entries are entry_size bytes. */
static int dmf_list_req(struct dmfilter_list __user *uarg, struct dmfilter_list *req,
			u32 entry_size)
{
	if (copy_from_user(req, uarg, sizeof(*req)))
		return -EFAULT;
	if (req->version != DMFILTER_IOCTL_VERSION || req->entry_size != entry_size ||
	    req->capacity > (1u << 20) || (req->capacity && !req->entries))
		return -EINVAL;
	return 0;
}

static long dmf_ioc_list(struct dmfilter_list __user *uarg)
{
	struct dmfilter_list req;
	struct dmf_list_ctx ctx;
	int ret;

	ret = dmf_list_req(uarg, &req, sizeof(struct dmfilter_filter_info));
	if (ret)
		return ret;
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

static long dmf_ioc_remap_list(struct dmfilter_list __user *uarg)
{
	struct dmfilter_list req;
	int ret;

	ret = dmf_list_req(uarg, &req, sizeof(struct dmfilter_remap_info));
	if (ret)
		return ret;
	ret = dmf_remap_list(&req);
	if (ret)
		return ret;
	if (put_user(req.count, &uarg->count))
		return -EFAULT;
	return 0;
}

/* DMFILTER_IOC_REMAP_START and _STOP. */
static long dmf_ioc_remap(unsigned int cmd, struct dmfilter_remap __user *uarg)
{
	struct dmfilter_remap req;

	if (copy_from_user(&req, uarg, sizeof(req)))
		return -EFAULT;
	if (req.version != DMFILTER_IOCTL_VERSION || req.size != sizeof(req))
		return -EINVAL;
	if (cmd == DMFILTER_IOC_REMAP_STOP)
		return dmf_remap_stop(req.dev);
	return dmf_remap_start(req.dev, req.dm_dev);
}

static long dmf_ctl_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	switch (cmd) {
	case DMFILTER_IOC_LIST:
		return dmf_ioc_list((struct dmfilter_list __user *)arg);
	case DMFILTER_IOC_REMAP_START:
	case DMFILTER_IOC_REMAP_STOP:
		return dmf_ioc_remap(cmd, (struct dmfilter_remap __user *)arg);
	case DMFILTER_IOC_REMAP_LIST:
		return dmf_ioc_remap_list((struct dmfilter_list __user *)arg);
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
