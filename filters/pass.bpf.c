// SPDX-License-Identifier: GPL-2.0
/*
 * pass: lets every bio through untouched and counts what it saw.
 * The smallest complete filter, and the one benchmarks use to measure
 * the cost of interception itself.
 *
 * Knobs (read-only counters, shown by 'dmfilter list'):
 *   bios   bios seen
 *   bytes  bytes of those bios
 */
#include "dmfilter.bpf.h"

__u64 bios;
__u64 bytes;

DMF_DOC("lets every bio through and counts them");
DMF_KNOB_DOC(bios, "bios seen (counter)");
DMF_KNOB_DOC(bytes, "bytes of those bios (counter)");

int DMFILTER_PROG(pass_submit, struct dmfilter_bio *bio)
{
	__sync_fetch_and_add(&bios, 1);
	__sync_fetch_and_add(&bytes, bio->bytes);
	return dmf_pass();
}

DMFILTER_OPS(pass, .submit = (void *)pass_submit);
