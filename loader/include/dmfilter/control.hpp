// control.hpp - the /dev/dmfilter control device: the kernel's own account
// of every attached filter and remapped device, and remap start/stop.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "dmfilter/device.hpp"
#include "dmfilter/result.hpp"

namespace dmfilter
{

inline constexpr const char *kControlDevice = "/dev/dmfilter";

struct Counters {
    std::uint64_t seen = 0;
    std::uint64_t passed = 0;
    std::uint64_t completed = 0;
    std::uint64_t delayed = 0;
    std::uint64_t queued = 0;
    std::uint64_t bytes = 0;
};

struct FilterInfo {
    DevId dev;
    std::uint32_t position = 0;
    std::string name;
    Counters counters;
};

// Every attachment, in the kernel's order (by device, then chain position).
Result<std::vector<FilterInfo>> list_filters(const std::string &control = kControlDevice);

struct RemapInfo {
    DevId dev;                    // the source
    DevId dm;                     // the DM device its bios go to
    std::uint64_t redirected = 0; // bios sent there
    std::uint64_t in_flight = 0;  // of those, not yet completed
};

// Every remapped device, by device number.
Result<std::vector<RemapInfo>> list_remaps(const std::string &control = kControlDevice);

struct RemapRequest {
    DevId dev;
    DevId dm;
    std::string_view dev_arg; // as the user gave them, for messages
    std::string_view dm_arg;
};

// Redirect every bio of req.dev to req.dm (built on it through dmfilter-linear).
Status remap_start(const RemapRequest &req, const std::string &control = kControlDevice);
// Send dev's bios to dev again, once those in flight through the DM stack are done.
Status remap_stop(DevId dev, std::string_view dev_arg, const std::string &control = kControlDevice);

} // namespace dmfilter
