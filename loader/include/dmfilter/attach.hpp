// attach.hpp - attaching a filter to a block device (load, attach, pin)
// and detaching it again (unpin, detach).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

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

} // namespace dmfilter
