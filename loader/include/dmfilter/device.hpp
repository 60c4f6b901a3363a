// device.hpp - block device identities: the kernel's dev_t encoding the
// module uses, "MAJ:MIN" text, and the checks on a DEV argument.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "dmfilter/result.hpp"

namespace dmfilter
{

struct DevId {
    std::uint32_t major = 0;
    std::uint32_t minor = 0;

    bool operator==(const DevId &) const = default;
    auto operator<=>(const DevId &) const = default;
};

// The kernel's internal dev_t: (major << 20) | minor (MINORBITS = 20).
inline constexpr unsigned kMinorBits = 20;
std::uint32_t kernel_dev(DevId dev);
DevId from_kernel_dev(std::uint32_t kdev);

// "MAJ:MIN", as in /sys/dev/block and the pin directory names.
std::string to_string(DevId dev);
Result<DevId> parse_dev(std::string_view text);

// A block device node: stat() it and check S_ISBLK.
Result<DevId> block_device(const std::string &path);

// A DEV argument that may also be "MAJ:MIN" (for a device already gone).
Result<DevId> device_arg(const std::string &arg);

// Size in 512-byte sectors, from /sys/dev/block/MAJ:MIN/size.
Result<std::uint64_t> device_sectors(DevId dev);

// "/dev/NAME" from /sys/dev/block/MAJ:MIN/uevent, or "MAJ:MIN" if unknown.
std::string device_path(DevId dev);

} // namespace dmfilter
