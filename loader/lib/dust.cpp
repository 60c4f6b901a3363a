// dust.cpp - the dust filter's pinned bad_blocks map: lookups, updates and
// deletes by block number, with dm-dust's checks (drivers/md/dm-dust.c,
// 6.12, dust_message()).
#include "dmfilter/dust.hpp"

#include <algorithm>
#include <bpf/bpf.h>
#include <cerrno>
#include <fmt/format.h>

#include "dmfilter/pinned_map.hpp"
#include "dmfilter/pins.hpp"

namespace dmfilter
{

namespace
{

constexpr const char *kMapName = "bad_blocks";

struct Value {
    std::uint64_t write_fails;
};

// The filter's blksz, enabled and quiet knobs, as the pinned maps hold them.
Status read_settings(const fs::path &dir, std::uint32_t &blksz, bool &enabled, bool &quiet)
{
    auto maps = open_pinned_maps(dir);
    if (!maps)
        return maps.error();
    auto values = read_knobs(*maps);
    if (!values)
        return values.error();
    for (const KnobValue &v : *values) {
        if (v.knob.name == "blksz")
            blksz = static_cast<std::uint32_t>(v.bits);
        else if (v.knob.name == "enabled")
            enabled = v.bits != 0;
        else if (v.knob.name == "quiet")
            quiet = v.bits != 0;
    }
    // As the filter rounds it (dust.bpf.c, dust_submit).
    blksz = blksz >= 512 ? blksz - blksz % 512 : 512;
    return ok();
}

} // namespace

Result<DustMap> DustMap::open(DevId dev, const std::string &device, const std::string &name)
{
    fs::path dir = pin_dir(dev, name);
    fs::path pin = user_map_pin(dir, kMapName);
    std::error_code ec;
    if (!fs::exists(dir, ec))
        return Error{
            fmt::format("no filter '{}' is attached to {}", name, device),
            fmt::format("dmfilter attach dust {} (see 'dmfilter status {}')", device, device)};
    DustMap m;
    m.device_ = device;
    m.fd_.reset(bpf_obj_get(pin.c_str()));
    if (!m.fd_)
        return Error{fmt::format("'{}' on {} is not a dust filter (no {} pinned)", name, device,
                                 pin.string()),
                     "name the dust attachment with --name"};
    bpf_map_info info{};
    std::uint32_t len = sizeof(info);
    if (bpf_map_get_info_by_fd(m.fd_.get(), &info, &len) < 0)
        return sys_error("map info of " + pin.string(), errno);
    if (info.key_size != sizeof(std::uint64_t) || info.value_size != sizeof(Value))
        return Error{fmt::format("{}: key/value sizes {}/{}, not 8/8 as dust.bpf.c has",
                                 pin.string(), info.key_size, info.value_size)};
    if (auto st = read_settings(dir, m.blksz_, m.enabled_, m.quiet_); !st)
        return st.error();
    auto sectors = device_sectors(dev);
    if (!sectors)
        return sectors.error();
    m.blocks_ = *sectors * 512 / m.blksz_;
    return m;
}

Status DustMap::check_block(std::uint64_t block) const
{
    if (block >= blocks_)
        return Error{fmt::format("block {} is past the end of {} ({} blocks of {} bytes)", block,
                                 device_, blocks_, blksz_)};
    return ok();
}

Status DustMap::add(std::uint64_t block, std::uint64_t write_fails) const
{
    if (auto st = check_block(block); !st)
        return st;
    Value v{write_fails};
    if (bpf_map_update_elem(fd_.get(), &block, &v, BPF_NOEXIST) < 0) {
        if (errno == EEXIST)
            return Error{
                fmt::format("block {} is already in the bad block list of {}", block, device_),
                "remove it first to change its write-fail count"};
        if (errno == E2BIG)
            return Error{fmt::format("the bad block list of {} is full", device_)};
        return sys_error(fmt::format("add block {}", block), errno);
    }
    return ok();
}

Status DustMap::remove(std::uint64_t block) const
{
    if (auto st = check_block(block); !st)
        return st;
    if (bpf_map_delete_elem(fd_.get(), &block) < 0) {
        if (errno == ENOENT)
            return Error{
                fmt::format("block {} is not in the bad block list of {}", block, device_)};
        return sys_error(fmt::format("remove block {}", block), errno);
    }
    return ok();
}

Result<std::optional<BadBlock>> DustMap::query(std::uint64_t block) const
{
    if (auto st = check_block(block); !st)
        return st.error();
    Value v{};
    if (bpf_map_lookup_elem(fd_.get(), &block, &v) < 0) {
        if (errno == ENOENT)
            return std::optional<BadBlock>{};
        return sys_error(fmt::format("query block {}", block), errno);
    }
    return std::optional<BadBlock>{BadBlock{block, v.write_fails}};
}

Result<std::vector<BadBlock>> DustMap::list() const
{
    std::vector<BadBlock> found;
    std::uint64_t key = 0, next = 0;
    const void *prev = nullptr; // NULL: the first key
    while (bpf_map_get_next_key(fd_.get(), prev, &next) == 0) {
        Value v{};
        // A block the filter healed meanwhile is simply not listed.
        if (bpf_map_lookup_elem(fd_.get(), &next, &v) == 0)
            found.push_back({next, v.write_fails});
        key = next;
        prev = &key;
    }
    if (errno != ENOENT)
        return sys_error("list the bad blocks of " + device_, errno);
    std::ranges::sort(found, {}, &BadBlock::block);
    // A deletion meanwhile restarts the walk from the first key: drop repeats.
    auto repeats = std::ranges::unique(found, {}, &BadBlock::block);
    found.erase(repeats.begin(), repeats.end());
    return found;
}

Result<std::size_t> DustMap::clear() const
{
    auto blocks = list();
    if (!blocks)
        return blocks.error();
    std::size_t cleared = 0;
    for (const BadBlock &b : *blocks)
        if (bpf_map_delete_elem(fd_.get(), &b.block) == 0)
            cleared++;
    return cleared;
}

} // namespace dmfilter
