// pins.hpp - the bpffs layout that keeps a filter attached after the CLI
// exits: /sys/fs/bpf/dmfilter/MAJ:MIN/NAME/{link,data,bss,rodata,map_*}.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dmfilter/device.hpp"
#include "dmfilter/knobs.hpp"
#include "dmfilter/result.hpp"

namespace dmfilter
{

namespace fs = std::filesystem;

inline constexpr const char *kBpffs = "/sys/fs/bpf";

fs::path pin_root();                                  // /sys/fs/bpf/dmfilter
fs::path pin_dir(DevId dev, const std::string &name); // .../MAJ:MIN/NAME
fs::path link_pin(const fs::path &dir);
fs::path map_pin(const fs::path &dir, Section section);
// A map the filter defines itself (SEC(".maps")): .../map_NAME (bpffs refuses dots)
fs::path user_map_pin(const fs::path &dir, std::string_view map);

// bpffs must be mounted at /sys/fs/bpf; error with the mount hint if not.
Status check_bpffs();

// mkdir -p of a pin directory.
Status make_pin_dir(const fs::path &dir);

struct PinnedAttachment {
    DevId dev;
    std::string name;
    fs::path dir;
};

// Pin directories of one device (or of all), sorted by device and name.
std::vector<PinnedAttachment> pinned_attachments(std::optional<DevId> dev);

// Unlink every pin in 'dir', then the directory, then its device directory
// if that is left empty. Missing files are not errors.
Status remove_pins(const fs::path &dir);

} // namespace dmfilter
