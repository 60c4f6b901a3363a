// stack.hpp - DM stacks built on a device and remapped onto it, the thing
// users want from remap: a point-in-time snapshot of a mounted file
// system, or any DM target table put in front of a device.
//
// Every stack starts with DEV's base, dmfilter-NAME-base ('dmfilter-linear
// DEV 0'); NAME is DEV's kernel name (sdb1, nullb0). A failure part way
// removes what the call made.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "dmfilter/device.hpp"
#include "dmfilter/dm.hpp"
#include "dmfilter/result.hpp"

namespace dmfilter
{

// The DM device names of DEV's stacks.
struct StackNames {
    std::string base;   // dmfilter-NAME-base
    std::string origin; // dmfilter-NAME-origin (snapshot-origin on the base)
    std::string snap;   // dmfilter-NAME-snap (snapshot of the base)
    std::string top;    // dmfilter-NAME (the user's table, 'dmfilter dm')
};
StackNames stack_names(DevId dev);

struct SnapshotRequest {
    DevId dev;
    std::string device; // as the user gave it
    DevId cow;
    std::uint32_t chunk_sectors = 8;
};

struct SnapshotInfo {
    std::string device;
    std::string snapshot; // /dev/mapper/dmfilter-NAME-snap, read-only
    std::string origin;   // where DEV's bios go while the snapshot exists
    std::string cow;      // the COW device
    std::string state;    // active, invalid (COW full), overflow, ...
    std::uint64_t cow_used_sectors = 0;
    std::uint64_t cow_total_sectors = 0;
    std::uint64_t metadata_sectors = 0;
};

// base + snapshot-origin, DEV remapped to the origin, then (DEV's file
// system frozen, if mounted) the snapshot.
Result<SnapshotInfo> snapshot_create(const SnapshotRequest &req);
// Remove the snapshot (refused while it is in use), stop the remap, remove the rest.
Status snapshot_remove(DevId dev, const std::string &device);
Result<SnapshotInfo> snapshot_status(DevId dev, const std::string &device);

// The snapshot target's status params: "USED/TOTAL METADATA" or a state word.
void parse_snapshot_status(const std::string &params, SnapshotInfo &info);

// 'dmfilter dm DEV -- WORDS...': WORDS is one table line without start
// and length, with the word DEV standing for DEV's base, e.g. "delay DEV 0
// 50". The device covers all of DEV.
Result<dm::Target> dm_line(const std::vector<std::string> &words, std::uint64_t sectors,
                           DevId base);
// base + the user's table, DEV remapped to it; the top device's path. A
// read-only table (always for verity) fails DEV's writes as its target does.
Result<std::string> dm_stack_create(DevId dev, const std::string &device,
                                    const std::vector<std::string> &words, bool read_only = false);
Status dm_stack_remove(DevId dev, const std::string &device);

} // namespace dmfilter
