// filter_object.cpp - opening a filter object with libbpf and patching its
// struct_ops value and knobs through the object's BTF (no fixed offsets).
#include "dmfilter/filter_object.hpp"

#include <algorithm>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <cstring>
#include <fmt/format.h>

namespace dmfilter
{

namespace
{

constexpr std::string_view kOpsType = "dmfilter_ops";
constexpr std::size_t kNameLen = 32; // DMFILTER_NAME_LEN, with its NUL

bool name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || c == '.';
}

std::string_view type_name(const btf *btf, std::uint32_t id)
{
    const btf_type *t = btf__type_by_id(btf, id);
    return t ? btf__name_by_offset(btf, t->name_off) : "";
}

} // namespace

Status check_attachment_name(std::string_view name)
{
    if (name.empty() || name.size() >= kNameLen || name.front() == '.' ||
        !std::ranges::all_of(name, name_char))
        return Error{fmt::format("'{}' is not a valid filter name", name),
                     fmt::format("use up to {} letters, digits, '_', '-' or '.', not first '.'",
                                 kNameLen - 1)};
    return ok();
}

Result<FilterObject> FilterObject::open(const std::filesystem::path &path)
{
    FilterObject f;
    f.path_ = path;
    f.obj_.reset(bpf_object__open_file(path.c_str(), nullptr));
    if (!f.obj_)
        return Error{fmt::format("{}: not a BPF object libbpf can open: {}", path.string(),
                                 std::strerror(errno)),
                     "build it with clang -target bpf -g (it needs BTF)"};
    if (auto st = f.find_ops(); !st)
        return st.error();
    f.find_sections();
    return f;
}

Status FilterObject::find_ops()
{
    const btf *btf = bpf_object__btf(obj_.get());
    bpf_map *map;
    bpf_object__for_each_map(map, obj_.get())
    {
        if (bpf_map__type(map) != BPF_MAP_TYPE_STRUCT_OPS)
            continue;
        std::uint32_t id = bpf_map__btf_value_type_id(map);
        if (btf && type_name(btf, id) == kOpsType) {
            ops_ = map;
            break;
        }
    }
    if (!ops_)
        return Error{fmt::format("{}: no struct_ops map of type {}", path_.string(), kOpsType),
                     "a filter defines one with DMFILTER_OPS(name, .submit = ...)"};
    const btf_type *t = btf__type_by_id(btf, bpf_map__btf_value_type_id(ops_));
    const btf_member *m = btf_members(t);
    for (unsigned i = 0; i < btf_vlen(t); i++) {
        std::string_view member = btf__name_by_offset(btf, m[i].name_off);
        Member where{btf_member_bit_offset(t, i) / 8,
                     static_cast<std::uint32_t>(btf__resolve_size(btf, m[i].type))};
        if (member == "dev")
            dev_ = where;
        else if (member == "name")
            name_ = where;
    }
    if (dev_.size != sizeof(std::uint32_t) || name_.size != kNameLen)
        return Error{fmt::format("{}: struct {} has no u32 dev and char name[{}]", path_.string(),
                                 kOpsType, kNameLen),
                     "rebuild the filter against this loader's vmlinux.h"};
    return ok();
}

void FilterObject::find_sections()
{
    const btf *btf = bpf_object__btf(obj_.get());
    bpf_map *map;
    bpf_object__for_each_map(map, obj_.get())
    {
        if (!bpf_map__is_internal(map))
            continue;
        std::uint32_t id = bpf_map__btf_value_type_id(map);
        const SectionInfo *info = section_by_datasec(type_name(btf, id));
        if (!info)
            continue;
        maps_[static_cast<std::size_t>(info->section)] = map;
        for (Knob &var : datasec_vars(btf, id, info->section))
            (is_sdk_var(var.name) ? sdk_vars_ : knobs_).push_back(std::move(var));
    }
}

std::span<std::uint8_t> FilterObject::writable(bpf_map *map) const
{
    std::size_t size = 0;
    void *data = map ? bpf_map__initial_value(map, &size) : nullptr;
    if (!data)
        return {};
    return {static_cast<std::uint8_t *>(data), size};
}

std::span<const std::uint8_t> FilterObject::ops_value() const
{
    return writable(ops_);
}

std::span<const std::uint8_t> FilterObject::section_value(Section section) const
{
    return writable(section_map(section));
}

std::string FilterObject::name() const
{
    auto value = ops_value();
    if (value.size() < name_.offset + name_.size)
        return {};
    const char *name = reinterpret_cast<const char *>(value.data() + name_.offset);
    return std::string(name, strnlen(name, name_.size));
}

Status FilterObject::set_device(DevId dev)
{
    auto value = writable(ops_);
    std::uint32_t kdev = kernel_dev(dev);
    if (value.size() < dev_.offset + sizeof(kdev))
        return Error{fmt::format("{}: cannot write the struct_ops value", path_.string())};
    std::memcpy(value.data() + dev_.offset, &kdev, sizeof(kdev));
    return ok();
}

Status FilterObject::set_name(std::string_view name)
{
    if (auto st = check_attachment_name(name); !st)
        return st;
    auto value = writable(ops_);
    if (value.size() < name_.offset + name_.size)
        return Error{fmt::format("{}: cannot write the struct_ops value", path_.string())};
    std::fill_n(value.data() + name_.offset, name_.size, 0);
    std::memcpy(value.data() + name_.offset, name.data(), name.size());
    return ok();
}

void FilterObject::set_attach_time(std::uint64_t monotonic_ns)
{
    if (const Knob *var = find_knob(sdk_vars_, "dmf_attach_ns"); var && var->size == 8)
        write_knob(writable(section_map(var->section)), *var, monotonic_ns);
}

Status FilterObject::set_knobs(std::span<const Assignment> assignments)
{
    auto writes = resolve_assignments(name(), knobs_, assignments);
    if (!writes)
        return writes.error();
    for (const KnobWrite &w : *writes)
        write_knob(writable(section_map(w.knob->section)), *w.knob, w.bits);
    return ok();
}

} // namespace dmfilter
