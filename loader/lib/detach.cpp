// detach.cpp - detach: open each matching pinned link, detach it, remove
// its pins.
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

Status detach_one(const PinnedAttachment &pinned, const DetachRequest &req)
{
    KernelContext ctx{Step::detach, pinned.name, req.device};
    UniqueFd link(bpf_obj_get(link_pin(pinned.dir).c_str()));
    // No link pin left (an earlier detach was cut short): just tidy up.
    if (!link && errno != ENOENT)
        return kernel_error(errno, ctx);
    if (link && bpf_link_detach(link.get()) < 0 && errno != ENOLINK)
        return kernel_error(errno, ctx);
    return remove_pins(pinned.dir);
}

} // namespace

Result<std::vector<PinnedAttachment>> detach(const DetachRequest &req)
{
    std::vector<PinnedAttachment> done;
    for (const PinnedAttachment &pinned : pinned_attachments(req.dev)) {
        if (req.name && pinned.name != *req.name)
            continue;
        if (auto st = detach_one(pinned, req); !st)
            return st.error();
        done.push_back(pinned);
    }
    if (done.empty())
        return nothing_matched(req);
    return done;
}

} // namespace dmfilter
