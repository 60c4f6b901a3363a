// attach.hpp - attaching a filter to a block device (load, attach, pin)
// and detaching it again (unpin, detach).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "dmfilter/control.hpp"
#include "dmfilter/device.hpp"
#include "dmfilter/knobs.hpp"
#include "dmfilter/pins.hpp"
#include "dmfilter/result.hpp"

namespace dmfilter
{

struct AttachRequest {
    std::string filter; // a shipped name, a .bpf.o or a .bpf.c
    std::string device; // a block device node
    std::vector<Assignment> knobs;
    std::string name; // empty: the name the object sets
    std::vector<std::filesystem::path> filter_dirs;
};

struct Attached {
    DevId dev;
    std::string name;
    std::filesystem::path pin_dir;
};

// All or nothing: on any failure after the attach, the filter is detached
// and its pins removed.
Result<Attached> attach(const AttachRequest &request);

struct DetachRequest {
    std::optional<DevId> dev;        // nullopt: every device
    std::optional<std::string> name; // nullopt: every filter of the device
    std::string device;              // for messages: as the user gave it
};

// The attachments detached; an error if none matched.
Result<std::vector<PinnedAttachment>> detach(const DetachRequest &request);

// Detach one pinned link ('device' names it in errors) and remove its pins.
Status detach_pinned(const PinnedAttachment &pinned, const std::string &device);

// Pins of 'pinned' that have no filter in the kernel's list 'infos'.
std::vector<PinnedAttachment> without_filter(std::vector<PinnedAttachment> pinned,
                                             const std::vector<FilterInfo> &infos);

// Detach and unpin the filters the kernel no longer runs because their
// disk was removed (of one device, or all); returns what it removed.
Result<std::vector<PinnedAttachment>> reap_stale(std::optional<DevId> dev = std::nullopt);

} // namespace dmfilter
