// control.cpp - DMFILTER_IOC_LIST: ask with a buffer, grow it while the
// kernel reports more entries than it held, and convert the entries.
#include "dmfilter/control.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
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

} // namespace

Result<std::vector<FilterInfo>> list_filters(const std::string &control)
{
    KernelContext ctx{Step::list, {}, {}};
    UniqueFd fd(::open(control.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd)
        return kernel_error(errno, ctx);
    std::vector<dmfilter_filter_info> raw(kInitialCapacity);
    for (int attempt = 0; attempt < kMaxRetries; attempt++) {
        dmfilter_list req{};
        req.version = DMFILTER_IOCTL_VERSION;
        req.entry_size = sizeof(dmfilter_filter_info);
        req.capacity = static_cast<std::uint32_t>(raw.size());
        req.entries = reinterpret_cast<std::uintptr_t>(raw.data());
        if (::ioctl(fd.get(), DMFILTER_IOC_LIST, &req) < 0)
            return kernel_error(errno, ctx);
        if (req.count > req.capacity) {
            raw.resize(req.count);
            continue;
        }
        std::vector<FilterInfo> infos;
        for (std::uint32_t i = 0; i < req.count; i++)
            infos.push_back(convert(raw[i]));
        return infos;
    }
    return Error{"the list of attachments kept changing while it was read", "try again"};
}

} // namespace dmfilter
