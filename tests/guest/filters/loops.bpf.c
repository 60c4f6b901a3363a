// SPDX-License-Identifier: GPL-2.0
/* Broken on purpose: a loop with no bound the verifier can prove; refused. */
#include "dmfilter.bpf.h"

volatile __u64 spin = 1;

int DMFILTER_PROG(loops_submit, struct dmfilter_bio *bio)
{
	while (spin)
		spin = bio->sector + 1;
	return dmf_pass();
}

DMFILTER_OPS(loops, .submit = (void *)loops_submit);
