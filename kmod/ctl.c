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

/*
 * Add one entry of out->entry_size bytes to a list ioctl's answer: copied
 * while the caller's buffer has room, counted always.
 */
int dmf_list_emit(struct dmf_list_out *out, const void *entry)
{
	if (out->count < out->capacity &&
	    copy_to_user(out->entries + (size_t)out->count * out->entry_size, entry,
			 out->entry_size))
		return -EFAULT;
	out->count++;
	return 0;
}

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

static int dmf_list_filter(struct dmf_filter *f, u32 pos, void *out)
{
	struct dmfilter_filter_info info = {};

	info.dev = f->dev->dev;
	info.position = pos;
	strscpy(info.name, f->name, sizeof(info.name));
	dmf_stats_sum(f, &info);
	return dmf_list_emit(out, &info);
}

static int dmf_list_filters(struct dmf_list_out *out)
{
	return dmf_table_for_each(dmf_list_filter, out);
}

/*
 * A list ioctl: check the request (its entries are entry_size bytes), let
 * list emit every entry, tell the caller how many there are.
 */
static long dmf_ioc_list(struct dmfilter_list __user *uarg, u32 entry_size,
			 int (*list)(struct dmf_list_out *out))
{
	struct dmfilter_list req;
	struct dmf_list_out out;
	int ret;

	if (copy_from_user(&req, uarg, sizeof(req)))
		return -EFAULT;
	if (req.version != DMFILTER_IOCTL_VERSION || req.entry_size != entry_size ||
	    req.capacity > (1u << 20) || (req.capacity && !req.entries))
		return -EINVAL;
	out.entries = u64_to_user_ptr(req.entries);
	out.entry_size = entry_size;
	out.capacity = req.capacity;
	out.count = 0;
	ret = list(&out);
	if (ret)
		return ret;
	if (put_user(out.count, &uarg->count))
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
		return dmf_ioc_list((struct dmfilter_list __user *)arg,
				    sizeof(struct dmfilter_filter_info), dmf_list_filters);
	case DMFILTER_IOC_REMAP_START:
	case DMFILTER_IOC_REMAP_STOP:
		return dmf_ioc_remap(cmd, (struct dmfilter_remap __user *)arg);
	case DMFILTER_IOC_REMAP_LIST:
		return dmf_ioc_list((struct dmfilter_list __user *)arg,
				    sizeof(struct dmfilter_remap_info), dmf_remap_list);
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
