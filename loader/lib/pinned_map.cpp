// pinned_map.cpp - reading pinned data maps back: map info -> BTF id ->
// the kernel's BTF -> the DATASEC -> knobs; lookup and update of key 0.
#include "dmfilter/pinned_map.hpp"

#include <algorithm>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <cerrno>
#include <fmt/format.h>
#include <sys/mman.h>

#include "dmfilter/kernel_errors.hpp"
#include "dmfilter/pins.hpp"

namespace dmfilter
{

namespace
{

constexpr std::uint32_t kKey = 0; // data maps are one-element arrays

} // namespace

Result<PinnedMap> PinnedMap::open(const std::filesystem::path &pin, Section section)
{
    PinnedMap m;
    m.section_ = section;
    m.fd_.reset(bpf_obj_get(pin.c_str()));
    if (!m.fd_)
        return kernel_error(errno, {Step::pin, pin.string(), {}});
    bpf_map_info info{};
    std::uint32_t len = sizeof(info);
    if (bpf_map_get_info_by_fd(m.fd_.get(), &info, &len) < 0)
        return sys_error("map info of " + pin.string(), errno);
    m.value_size_ = info.value_size;
    m.map_flags_ = info.map_flags;
    if (info.btf_id) {
        BtfPtr btf(btf__load_from_kernel_by_id(info.btf_id));
        if (!btf)
            return sys_error(fmt::format("BTF {} of {}", info.btf_id, pin.string()), errno);
        m.knobs_ = datasec_knobs(btf.get(), info.btf_value_type_id, section);
    }
    return m;
}

Result<std::vector<std::uint8_t>> PinnedMap::read() const
{
    std::vector<std::uint8_t> value(value_size_);
    if (bpf_map_lookup_elem(fd_.get(), &kKey, value.data()) < 0)
        return sys_error(fmt::format("read the {} map", section_info(section_).name), errno);
    return value;
}

Status PinnedMap::apply(std::span<const KnobWrite> writes) const
{
    auto mine = [this](const KnobWrite &w) { return w.knob->section == section_; };
    if (std::ranges::none_of(writes, mine))
        return ok();
    std::string what = fmt::format("write the {} map", section_info(section_).name);
    if (map_flags_ & BPF_F_MMAPABLE) {
        void *mem = ::mmap(nullptr, value_size_, PROT_READ | PROT_WRITE, MAP_SHARED, fd_.get(), 0);
        if (mem == MAP_FAILED)
            return sys_error(what, errno);
        std::span<std::uint8_t> value(static_cast<std::uint8_t *>(mem), value_size_);
        for (const KnobWrite &w : writes)
            if (mine(w))
                write_knob(value, *w.knob, w.bits);
        ::munmap(mem, value_size_);
        return ok();
    }
    auto value = read();
    if (!value)
        return value.error();
    for (const KnobWrite &w : writes)
        if (mine(w))
            write_knob(*value, *w.knob, w.bits);
    if (bpf_map_update_elem(fd_.get(), &kKey, value->data(), BPF_ANY) < 0)
        return sys_error(what, errno);
    return ok();
}

Result<std::vector<PinnedMap>> open_pinned_maps(const std::filesystem::path &dir)
{
    std::vector<PinnedMap> maps;
    for (const SectionInfo &s : sections()) {
        std::filesystem::path pin = map_pin(dir, s.section);
        std::error_code ec;
        if (!std::filesystem::exists(pin, ec))
            continue;
        auto map = PinnedMap::open(pin, s.section);
        if (!map)
            return map.error();
        maps.push_back(std::move(*map));
    }
    return maps;
}

Result<std::vector<KnobValue>> read_knobs(std::span<const PinnedMap> maps)
{
    std::vector<KnobValue> values;
    for (const PinnedMap &map : maps) {
        auto value = map.read();
        if (!value)
            return value.error();
        for (const Knob &knob : map.knobs())
            values.push_back({knob, read_knob(*value, knob)});
    }
    return values;
}

} // namespace dmfilter
