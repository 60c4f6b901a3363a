// dust.hpp - the bad-block list of an attached dust filter (filters/
// dust.bpf.c): its pinned map_bad_blocks, read and edited live, as
// dm-dust's messages do (addbadblock, removebadblock, queryblock, ...).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dmfilter/device.hpp"
#include "dmfilter/fd.hpp"
#include "dmfilter/result.hpp"

namespace dmfilter
{

struct BadBlock {
    std::uint64_t block;
    std::uint64_t write_fails; // writes that still fail before it heals
};

class DustMap
{
public:
    // The dust filter 'name' attached to 'dev' ('device' as the user spelled it).
    static Result<DustMap> open(DevId dev, const std::string &device, const std::string &name);

    std::uint32_t blksz() const { return blksz_; }
    bool enabled() const { return enabled_; }
    bool quiet() const { return quiet_; }

    // Errors as dm-dust's: a block past the end, one already listed (add),
    // one not listed (remove).
    Status add(std::uint64_t block, std::uint64_t write_fails) const;
    Status remove(std::uint64_t block) const;
    Result<std::optional<BadBlock>> query(std::uint64_t block) const;
    Result<std::vector<BadBlock>> list() const; // by block number
    Result<std::size_t> clear() const;          // how many were listed

private:
    DustMap() = default;
    Status check_block(std::uint64_t block) const;

    UniqueFd fd_;
    std::string device_;
    std::uint32_t blksz_ = 512;
    std::uint64_t blocks_ = 0;
    bool enabled_ = false;
    bool quiet_ = false;
};

} // namespace dmfilter
