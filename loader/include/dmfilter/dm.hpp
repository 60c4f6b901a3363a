// dm.hpp - the few device-mapper calls the stacks need (libdevmapper):
// create a device from a table, remove it, ask for its number, table and
// status.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dmfilter/device.hpp"
#include "dmfilter/result.hpp"

namespace dmfilter::dm
{

// One line of a DM table: sectors [start, start + length) handled by
// target with params.
struct Target {
    std::uint64_t start = 0;
    std::uint64_t length = 0;
    std::string type;
    std::string params;
};

// Create and resume the device 'name' with one table; its number.
Result<DevId> create(const std::string &name, const std::vector<Target> &table,
                     bool read_only = false);

// Suspend the device (its I/O done, new I/O held) and resume it; a resume
// also makes targets re-read what they derive from others (snapshot-origin
// its chunk size, from the snapshots made meanwhile).
Status suspend(const std::string &name);
Status resume(const std::string &name);

// Remove the device 'name' (retried a moment while something holds it).
Status remove(const std::string &name);

// The device's number, or nullopt if there is no device of that name.
Result<std::optional<DevId>> find(const std::string &name);

// The live table (what 'dmsetup table' prints) or status ('dmsetup status').
Result<std::vector<Target>> table(const std::string &name);
Result<std::vector<Target>> status(const std::string &name);

// "/dev/mapper/NAME".
std::string path(const std::string &name);

} // namespace dmfilter::dm
