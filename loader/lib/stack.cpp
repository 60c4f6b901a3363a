// stack.cpp - snapshot and 'dm' stacks: DM devices made with libdevmapper
// on DEV's dmfilter-linear base, DEV remapped to the top, and the reverse.
#include "dmfilter/stack.hpp"

#include <cerrno>
#include <charconv>
#include <fcntl.h>
#include <fstream>
#include <linux/fs.h>
#include <optional>
#include <sstream>
#include <sys/ioctl.h>

#include "dmfilter/control.hpp"
#include "dmfilter/fd.hpp"

namespace dmfilter
{

namespace
{

// Devices made so far, removed in reverse unless the whole call succeeds.
class Unwind
{
public:
    Unwind() = default;
    Unwind(const Unwind &) = delete;
    Unwind &operator=(const Unwind &) = delete;
    ~Unwind()
    {
        if (remapped_)
            (void)remap_stop(*remapped_, "");
        for (auto it = made_.rbegin(); it != made_.rend(); ++it)
            (void)dm::remove(*it);
    }
    void made(const std::string &name) { made_.push_back(name); }
    void remapped(DevId dev) { remapped_ = dev; }
    void keep()
    {
        made_.clear();
        remapped_.reset();
    }

private:
    std::vector<std::string> made_;
    std::optional<DevId> remapped_;
};

std::string exists_error(const std::string &name)
{
    return "a device-mapper device named " + name + " exists already";
}

// dm-snapshot: <origin> <COW device> <P|N> <chunk sectors>; P: kept across reboots.
std::string snapshot_params(DevId base, DevId cow, std::uint32_t chunk)
{
    return to_string(base) + " " + to_string(cow) + " P " + std::to_string(chunk);
}

std::string kernel_name(DevId dev)
{
    std::string path = device_path(dev);
    return path.substr(path.rfind('/') + 1);
}

// The base: all of DEV through dmfilter-linear.
Result<DevId> make_base(const StackNames &names, DevId dev, std::uint64_t sectors, Unwind &unwind)
{
    if (auto found = dm::find(names.base); !found)
        return found.error();
    else if (*found)
        return Error{exists_error(names.base),
                     "a stack is on this device already: dmfilter list; dmsetup ls"};
    auto base = dm::create(names.base, {{0, sectors, "dmfilter-linear", to_string(dev) + " 0"}});
    if (!base)
        return base.error();
    unwind.made(names.base);
    return base;
}

Status start_remap(DevId dev, const std::string &device, DevId top, const std::string &top_name,
                   Unwind &unwind)
{
    std::string path = dm::path(top_name);
    if (auto st = remap_start(RemapRequest{dev, top, device, path}); !st)
        return st;
    unwind.remapped(dev);
    return ok();
}

// DEV's mount point from /proc/self/mountinfo, or "" when it is not mounted.
std::string mount_point(DevId dev)
{
    std::ifstream in("/proc/self/mountinfo");
    std::string line, id, parent, number, root, point;
    while (std::getline(in, line)) {
        std::istringstream fields(line);
        fields >> id >> parent >> number >> root >> point;
        if (number == to_string(dev))
            return point;
    }
    return "";
}

// DEV's file system frozen (FIFREEZE) for the object's lifetime, if mounted.
class Freeze
{
public:
    explicit Freeze(DevId dev)
    {
        std::string point = mount_point(dev);
        if (point.empty())
            return;
        fd_ = UniqueFd(::open(point.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
        if (fd_ && ::ioctl(fd_.get(), FIFREEZE, 0) == 0)
            frozen_ = true;
        else
            err_ = errno;
    }
    Freeze(const Freeze &) = delete;
    Freeze &operator=(const Freeze &) = delete;
    ~Freeze()
    {
        if (frozen_)
            ::ioctl(fd_.get(), FITHAW, 0);
    }
    // A mounted file system that would not freeze (EOPNOTSUPP: it cannot).
    int error() const { return err_ == EOPNOTSUPP ? 0 : err_; }

private:
    UniqueFd fd_;
    bool frozen_ = false;
    int err_ = 0;
};

// The snapshot itself, as lvcreate makes one: with the origin suspended,
// whose resume then splits writes at the new snapshot's chunks (without it
// snapshot-origin copies only the first chunk of each write: a control run
// of this stack without remap showed it). DEV's file system is frozen
// meanwhile, so the snapshot is clean.
Status take_snapshot(const SnapshotRequest &req, const StackNames &names, DevId base,
                     std::uint64_t sectors, Unwind &unwind)
{
    Freeze frozen(req.dev);
    if (frozen.error())
        return sys_error("cannot freeze the file system on " + req.device, frozen.error());
    if (auto st = dm::suspend(names.origin); !st)
        return st;
    std::string params = snapshot_params(base, req.cow, req.chunk_sectors);
    auto snap = dm::create(names.snap, {{0, sectors, "snapshot", params}}, true);
    if (snap)
        unwind.made(names.snap);
    auto resumed = dm::resume(names.origin);
    if (!snap)
        return snap.error();
    return resumed;
}

// The stack device 'name' must exist: "DEV has no dmfilter WHAT (no NAME)".
Status require(const std::string &name, const std::string &device, const std::string &what,
               std::string hint = {})
{
    auto found = dm::find(name);
    if (!found)
        return found.error();
    if (!*found)
        return Error{device + " has no dmfilter " + what + " (no " + name + ")", std::move(hint)};
    return ok();
}

} // namespace

StackNames stack_names(DevId dev)
{
    std::string stem = "dmfilter-" + kernel_name(dev);
    return {stem + "-base", stem + "-origin", stem + "-snap", stem};
}

void parse_snapshot_status(const std::string &params, SnapshotInfo &info)
{
    std::uint64_t used = 0, total = 0, meta = 0;
    char slash = 0;
    std::istringstream in(params);
    if (in >> used >> slash >> total >> meta && slash == '/') {
        info.state = "active";
        info.cow_used_sectors = used;
        info.cow_total_sectors = total;
        info.metadata_sectors = meta;
        return;
    }
    std::string word = params.substr(0, params.find(' '));
    for (char &c : word)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    info.state = word.empty() ? "unknown" : word;
}

Result<SnapshotInfo> snapshot_create(const SnapshotRequest &req)
{
    StackNames names = stack_names(req.dev);
    auto sectors = device_sectors(req.dev);
    if (!sectors)
        return sectors.error();
    if (req.cow == req.dev)
        return Error{"the COW device cannot be " + req.device + " itself",
                     "give a separate device for the snapshot's changes"};
    Unwind unwind;
    auto base = make_base(names, req.dev, *sectors, unwind);
    if (!base)
        return base.error();
    auto origin = dm::create(names.origin, {{0, *sectors, "snapshot-origin", to_string(*base)}});
    if (!origin)
        return origin.error();
    unwind.made(names.origin);
    if (auto st = start_remap(req.dev, req.device, *origin, names.origin, unwind); !st)
        return st.error();
    if (auto st = take_snapshot(req, names, *base, *sectors, unwind); !st)
        return st.error();
    auto info = snapshot_status(req.dev, req.device);
    if (!info)
        return info.error();
    unwind.keep();
    return info;
}

Result<SnapshotInfo> snapshot_status(DevId dev, const std::string &device)
{
    StackNames names = stack_names(dev);
    if (auto st = require(names.snap, device, "snapshot",
                          "dmfilter snapshot create " + device + " --cow COWDEV");
        !st)
        return st.error();
    auto table = dm::table(names.snap);
    if (!table)
        return table.error();
    auto status = dm::status(names.snap);
    if (!status)
        return status.error();
    SnapshotInfo info{device, dm::path(names.snap), dm::path(names.origin), "", "", 0, 0, 0};
    if (!table->empty()) {
        std::istringstream params(table->front().params);
        std::string origin, cow;
        params >> origin >> cow;
        auto cow_dev = parse_dev(cow);
        info.cow = cow_dev ? device_path(*cow_dev) : cow;
    }
    parse_snapshot_status(status->empty() ? "" : status->front().params, info);
    return info;
}

Status snapshot_remove(DevId dev, const std::string &device)
{
    StackNames names = stack_names(dev);
    if (auto st = require(names.snap, device, "snapshot"); !st)
        return st;
    // First, so that a snapshot in use (mounted) stops it all with nothing changed.
    if (auto st = dm::remove(names.snap); !st)
        return Error{st.error().message, "unmount " + dm::path(names.snap) + " first"};
    if (auto st = remap_stop(dev, device); !st)
        return st;
    if (auto st = dm::remove(names.origin); !st)
        return st;
    return dm::remove(names.base);
}

Result<dm::Target> dm_line(const std::vector<std::string> &words, std::uint64_t sectors, DevId base)
{
    if (words.empty())
        return Error{"no table given", "e.g. dmfilter dm /dev/sdb1 -- delay DEV 0 50"};
    dm::Target line{0, sectors, words.front(), ""};
    bool uses_dev = false;
    for (std::size_t i = 1; i < words.size(); i++) {
        bool is_dev = words[i] == "DEV";
        uses_dev |= is_dev;
        line.params += (i > 1 ? " " : "") + (is_dev ? to_string(base) : words[i]);
    }
    if (!uses_dev)
        return Error{"the table does not use DEV, the device's base",
                     "write DEV where the target takes its device, e.g. delay DEV 0 50"};
    return line;
}

Result<std::string> dm_stack_create(DevId dev, const std::string &device,
                                    const std::vector<std::string> &words, bool read_only)
{
    StackNames names = stack_names(dev);
    auto sectors = device_sectors(dev);
    if (!sectors)
        return sectors.error();
    if (auto checked = dm_line(words, *sectors, DevId{}); !checked)
        return checked.error();
    Unwind unwind;
    auto base = make_base(names, dev, *sectors, unwind);
    if (!base)
        return base.error();
    // dm-verity takes only read-only tables.
    read_only |= words.front() == "verity";
    auto top = dm::create(names.top, {*dm_line(words, *sectors, *base)}, read_only);
    if (!top)
        return top.error();
    unwind.made(names.top);
    if (auto st = start_remap(dev, device, *top, names.top, unwind); !st)
        return st.error();
    unwind.keep();
    return dm::path(names.top);
}

Status dm_stack_remove(DevId dev, const std::string &device)
{
    StackNames names = stack_names(dev);
    if (auto st = require(names.top, device, "dm stack"); !st)
        return st;
    if (auto st = remap_stop(dev, device); !st)
        return st;
    if (auto st = dm::remove(names.top); !st)
        return st;
    return dm::remove(names.base);
}

} // namespace dmfilter
