// SPDX-License-Identifier: GPL-2.0
/* A user's own filter, as a user would write it: writes fail, reads pass. */
#include "dmfilter.bpf.h"

__u64 refused;

int DMFILTER_PROG(readonly_submit, struct dmfilter_bio *bio)
{
	if (!dmf_is_write(bio))
		return dmf_pass();
	refused++;
	return dmf_complete(bio, -EIO);
}

DMFILTER_OPS(readonly, .submit = (void *)readonly_submit);
