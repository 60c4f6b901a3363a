// detach.cpp - detach: open each matching pinned link, detach it, remove
// its pins; and the reaping of pins whose filter the kernel dropped.
#include <algorithm>
#include <bpf/bpf.h>
#include <cerrno>
#include <fmt/format.h>

#include "dmfilter/attach.hpp"
#include "dmfilter/fd.hpp"
#include "dmfilter/kernel_errors.hpp"

namespace dmfilter
{

namespace
{

Error nothing_matched(const DetachRequest &req)
{
    std::string hint = "'dmfilter list' shows what is attached";
    if (!req.dev)
        return Error{"no filters are attached", hint};
    if (!req.name)
        return Error{fmt::format("no filter is attached to {}", req.device), hint};
    return Error{fmt::format("no filter named '{}' is attached to {}", *req.name, req.device),
                 hint};
}

} // namespace

Status detach_pinned(const PinnedAttachment &pinned, const std::string &device)
{
    KernelContext ctx{Step::detach, pinned.name, device};
    UniqueFd link(bpf_obj_get(link_pin(pinned.dir).c_str()));
    // No link pin left (an earlier detach was cut short): just tidy up.
    if (!link && errno != ENOENT)
        return kernel_error(errno, ctx);
    if (link && bpf_link_detach(link.get()) < 0 && errno != ENOLINK)
        return kernel_error(errno, ctx);
    return remove_pins(pinned.dir);
}

std::vector<PinnedAttachment> without_filter(std::vector<PinnedAttachment> pinned,
                                             const std::vector<FilterInfo> &infos)
{
    std::erase_if(pinned, [&](const PinnedAttachment &p) {
        return std::ranges::any_of(
            infos, [&](const FilterInfo &i) { return i.dev == p.dev && i.name == p.name; });
    });
    return pinned;
}

Result<std::vector<PinnedAttachment>> reap_stale(std::optional<DevId> dev)
{
    auto infos = list_filters();
    if (!infos)
        return infos.error();
    auto stale = without_filter(pinned_attachments(dev), *infos);
    for (const PinnedAttachment &p : stale)
        if (auto st = detach_pinned(p, to_string(p.dev)); !st)
            return st.error();
    return stale;
}

Result<std::vector<PinnedAttachment>> detach(const DetachRequest &req)
{
    std::vector<PinnedAttachment> done;
    for (const PinnedAttachment &pinned : pinned_attachments(req.dev)) {
        if (req.name && pinned.name != *req.name)
            continue;
        if (auto st = detach_pinned(pinned, req.device); !st)
            return st.error();
        done.push_back(pinned);
    }
    if (done.empty())
        return nothing_matched(req);
    return done;
}

} // namespace dmfilter
