// device.cpp - dev_t encoding, "MAJ:MIN" parsing and block device checks.
#include "dmfilter/device.hpp"

#include <cerrno>
#include <charconv>
#include <fmt/format.h>
#include <fstream>
#include <sys/stat.h>
#include <sys/sysmacros.h>

namespace dmfilter
{

namespace
{

constexpr std::uint32_t kMinorMask = (1u << kMinorBits) - 1;
constexpr std::uint32_t kMajorMax = (1u << (32 - kMinorBits)) - 1;

bool parse_u32(std::string_view text, std::uint32_t &out)
{
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return !text.empty() && ec == std::errc{} && end == text.data() + text.size();
}

Result<DevId> checked(DevId dev, std::string_view what)
{
    if (dev.major > kMajorMax || dev.minor > kMinorMask)
        return Error{fmt::format("{}: device number {} does not fit the kernel's dev_t", what,
                                 to_string(dev))};
    return dev;
}

} // namespace

std::uint32_t kernel_dev(DevId dev)
{
    return dev.major << kMinorBits | dev.minor;
}

DevId from_kernel_dev(std::uint32_t kdev)
{
    return {kdev >> kMinorBits, kdev & kMinorMask};
}

std::string to_string(DevId dev)
{
    return fmt::format("{}:{}", dev.major, dev.minor);
}

Result<DevId> parse_dev(std::string_view text)
{
    auto colon = text.find(':');
    DevId dev;
    if (colon == std::string_view::npos || !parse_u32(text.substr(0, colon), dev.major) ||
        !parse_u32(text.substr(colon + 1), dev.minor))
        return Error{fmt::format("'{}' is not a device number MAJ:MIN", text)};
    return checked(dev, text);
}

Result<DevId> block_device(const std::string &path)
{
    struct stat st {
    };
    if (::stat(path.c_str(), &st) < 0)
        return sys_error(path, errno);
    if (!S_ISBLK(st.st_mode))
        return Error{fmt::format("{} is not a block device", path),
                     "give a device node such as /dev/sda1 or /dev/nullb0"};
    return checked({::major(st.st_rdev), ::minor(st.st_rdev)}, path);
}

Result<DevId> device_arg(const std::string &arg)
{
    if (arg.find('/') == std::string::npos && arg.find(':') != std::string::npos)
        return parse_dev(arg);
    return block_device(arg);
}

Result<std::uint64_t> device_sectors(DevId dev)
{
    std::string path = fmt::format("/sys/dev/block/{}/size", to_string(dev));
    std::ifstream in(path);
    std::uint64_t sectors = 0;
    if (!(in >> sectors))
        return Error{fmt::format("cannot read the size of {} from {}", to_string(dev), path)};
    return sectors;
}

std::string device_path(DevId dev)
{
    std::ifstream uevent(fmt::format("/sys/dev/block/{}/uevent", to_string(dev)));
    constexpr std::string_view key = "DEVNAME=";
    for (std::string line; std::getline(uevent, line);)
        if (line.starts_with(key))
            return "/dev/" + line.substr(key.size());
    return to_string(dev);
}

} // namespace dmfilter
