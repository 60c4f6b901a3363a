// control.cpp - the /dev/dmfilter ioctls: the lists (ask with a buffer,
// grow it while the kernel reports more entries than it held) and remap
// start/stop.
#include "dmfilter/control.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fmt/format.h>
#include <sys/ioctl.h>

#include "dmfilter/fd.hpp"
#include "dmfilter/kernel_errors.hpp"
#include "kmod/uapi/dmfilter.h"

namespace dmfilter
{

namespace
{

constexpr std::uint32_t kInitialCapacity = 16;
constexpr int kMaxRetries = 8; // attachments racing the list

FilterInfo convert(const dmfilter_filter_info &raw)
{
    return FilterInfo{
        from_kernel_dev(raw.dev), raw.position,
        std::string(raw.name, strnlen(raw.name, sizeof(raw.name))),
        Counters{raw.seen, raw.passed, raw.completed, raw.delayed, raw.queued, raw.bytes}};
}

RemapInfo convert(const dmfilter_remap_info &raw)
{
    return RemapInfo{from_kernel_dev(raw.dev), from_kernel_dev(raw.dm_dev), raw.redirected,
                     raw.in_flight};
}

Result<UniqueFd> open_control(const std::string &control, const KernelContext &ctx)
{
    UniqueFd fd(::open(control.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) // ENOENT: no module; EACCES: not root
        return kernel_error(errno, KernelContext{Step::list, ctx.filter, ctx.device});
    return fd;
}

// One list ioctl whose entries are Raw, converted.
template <class Raw>
auto list(const std::string &control, unsigned long cmd)
    -> Result<std::vector<decltype(convert(Raw{}))>>
{
    using Info = decltype(convert(Raw{}));
    KernelContext ctx{Step::list, {}, {}};
    auto fd = open_control(control, ctx);
    if (!fd)
        return fd.error();
    std::vector<Raw> raw(kInitialCapacity);
    for (int attempt = 0; attempt < kMaxRetries; attempt++) {
        dmfilter_list req{};
        req.version = DMFILTER_IOCTL_VERSION;
        req.entry_size = sizeof(Raw);
        req.capacity = static_cast<std::uint32_t>(raw.size());
        req.entries = reinterpret_cast<std::uintptr_t>(raw.data());
        if (::ioctl(fd->get(), cmd, &req) < 0)
            return kernel_error(errno, ctx);
        if (req.count > req.capacity) {
            raw.resize(req.count);
            continue;
        }
        std::vector<Info> infos;
        for (std::uint32_t i = 0; i < req.count; i++)
            infos.push_back(convert(raw[i]));
        return infos;
    }
    return Error{"the list kept changing while it was read", "try again"};
}

Status remap_ioctl(unsigned long cmd, DevId dev, DevId dm, const KernelContext &ctx,
                   const std::string &control)
{
    auto fd = open_control(control, ctx);
    if (!fd)
        return fd.error();
    dmfilter_remap req{};
    req.version = DMFILTER_IOCTL_VERSION;
    req.size = sizeof(req);
    req.dev = kernel_dev(dev);
    req.dm_dev = kernel_dev(dm);
    if (::ioctl(fd->get(), cmd, &req) < 0)
        return kernel_error(errno, ctx);
    return ok();
}

} // namespace

Result<std::vector<FilterInfo>> list_filters(const std::string &control)
{
    return list<dmfilter_filter_info>(control, DMFILTER_IOC_LIST);
}

Result<std::vector<RemapInfo>> list_remaps(const std::string &control)
{
    return list<dmfilter_remap_info>(control, DMFILTER_IOC_REMAP_LIST);
}

// What user space can check before the kernel does: a clearer message.
Status remap_precheck(const RemapRequest &req)
{
    if (req.dev == req.dm)
        return Error{fmt::format("cannot remap {} onto itself", req.dev_arg)};
    if (!std::filesystem::exists("/sys/dev/block/" + to_string(req.dm) + "/dm"))
        return Error{fmt::format("{} is not a device-mapper device", req.dm_arg),
                     fmt::format("build one on {0}: dmfilter dm {0} -- TABLE, or a table with "
                                 "'dmfilter-linear {0} 0' at its bottom",
                                 req.dev_arg)};
    auto dev_size = device_sectors(req.dev);
    auto dm_size = device_sectors(req.dm);
    if (dev_size && dm_size && *dev_size != *dm_size)
        return Error{fmt::format("{} has {} sectors, {} has {}: a remap needs the same size",
                                 req.dm_arg, *dm_size, req.dev_arg, *dev_size)};
    return ok();
}

Status remap_start(const RemapRequest &req, const std::string &control)
{
    if (auto st = remap_precheck(req); !st)
        return st;
    return remap_ioctl(DMFILTER_IOC_REMAP_START, req.dev, req.dm,
                       KernelContext{Step::remap_start, req.dm_arg, req.dev_arg}, control);
}

Status remap_stop(DevId dev, std::string_view dev_arg, const std::string &control)
{
    return remap_ioctl(DMFILTER_IOC_REMAP_STOP, dev, DevId{},
                       KernelContext{Step::remap_stop, {}, dev_arg}, control);
}

} // namespace dmfilter
