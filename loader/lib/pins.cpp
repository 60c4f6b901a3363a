// pins.cpp - creating, scanning and removing the pin directories.
#include "dmfilter/pins.hpp"

#include <algorithm>
#include <cerrno>
#include <fmt/format.h>
#include <linux/magic.h>
#include <sys/vfs.h>
#include <tuple>

namespace dmfilter
{

fs::path pin_root()
{
    return fs::path(kBpffs) / "dmfilter";
}

fs::path pin_dir(DevId dev, const std::string &name)
{
    return pin_root() / to_string(dev) / name;
}

fs::path link_pin(const fs::path &dir)
{
    return dir / "link";
}

fs::path map_pin(const fs::path &dir, Section section)
{
    return dir / std::string(section_info(section).name);
}

Status check_bpffs()
{
    struct statfs st {
    };
    if (::statfs(kBpffs, &st) < 0 || st.f_type != BPF_FS_MAGIC)
        return Error{fmt::format("no BPF file system mounted at {}", kBpffs),
                     fmt::format("mount -t bpf bpf {}", kBpffs)};
    return ok();
}

Status make_pin_dir(const fs::path &dir)
{
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec)
        return sys_error("mkdir " + dir.string(), ec.value());
    return ok();
}

std::vector<PinnedAttachment> pinned_attachments(std::optional<DevId> dev)
{
    std::vector<PinnedAttachment> found;
    std::error_code ec;
    for (const auto &dev_dir : fs::directory_iterator(pin_root(), ec)) {
        auto id = parse_dev(dev_dir.path().filename().string());
        if (!id || (dev && *id != *dev))
            continue;
        for (const auto &entry : fs::directory_iterator(dev_dir.path(), ec))
            if (entry.is_directory(ec))
                found.push_back({*id, entry.path().filename().string(), entry.path()});
    }
    std::ranges::sort(found, {}, [](const PinnedAttachment &p) { return std::tie(p.dev, p.name); });
    return found;
}

fs::path user_map_pin(const fs::path &dir, std::string_view map)
{
    return dir / fmt::format("map_{}", map);
}

Status remove_pins(const fs::path &dir)
{
    std::vector<fs::path> files;
    std::error_code ec;
    for (const auto &entry : fs::directory_iterator(dir, ec))
        files.push_back(entry.path());
    for (const fs::path &file : files)
        if (!fs::remove(file, ec) && ec)
            return sys_error("unlink " + file.string(), ec.value());
    if (!fs::remove(dir, ec) && ec)
        return sys_error("rmdir " + dir.string(), ec.value());
    fs::path dev_dir = dir.parent_path();
    if (fs::is_empty(dev_dir, ec))
        fs::remove(dev_dir, ec);
    return ok();
}

} // namespace dmfilter
