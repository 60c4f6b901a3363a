// control.hpp - the /dev/dmfilter control device: DMFILTER_IOC_LIST, the
// kernel's own account of every attached filter.
#pragma once

#include <cstdint>
#include <string>
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

} // namespace dmfilter
