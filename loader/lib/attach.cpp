// attach.cpp - attach: resolve and open the filter, patch device, name and
// knobs, load, attach the struct_ops link, pin link and data maps.
#include "dmfilter/attach.hpp"

#include <bpf/libbpf.h>
#include <fmt/format.h>
#include <optional>
#include <time.h>

#include "dmfilter/filter_file.hpp"
#include "dmfilter/filter_object.hpp"
#include "dmfilter/kernel_errors.hpp"

namespace dmfilter
{

namespace
{

struct Opened {
    std::optional<TempDir> build; // the compiled object's directory, if any
    FilterObject object;
};

Result<Opened> open_filter(const AttachRequest &req)
{
    auto file = resolve_filter(req.filter, req.filter_dirs);
    if (!file)
        return file.error();
    std::optional<TempDir> build;
    fs::path path = file->path;
    if (file->kind == FilterKind::source) {
        auto tmp = TempDir::create();
        if (!tmp)
            return tmp.error();
        auto compiled = compile_filter(path, tmp->path());
        if (!compiled)
            return compiled.error();
        build.emplace(std::move(*tmp));
        path = *compiled;
    }
    auto object = FilterObject::open(path);
    if (!object)
        return object.error();
    return Opened{std::move(build), std::move(*object)};
}

Status prepare(FilterObject &object, DevId dev, const AttachRequest &req)
{
    if (auto st = object.set_device(dev); !st)
        return st;
    if (!req.name.empty())
        if (auto st = object.set_name(req.name); !st)
            return st;
    if (auto st = object.set_knobs(req.knobs); !st)
        return st;
    return check_attachment_name(object.name());
}

std::uint64_t monotonic_ns()
{
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<std::uint64_t>(ts.tv_sec) * 1'000'000'000u +
           static_cast<std::uint64_t>(ts.tv_nsec);
}

// Where a map of the object is pinned: its section's name for .data/.bss/
// .rodata, map_NAME for the filter's own maps; none for the struct_ops map.
std::optional<fs::path> map_pin_of(const FilterObject &object, bpf_map *map, const fs::path &dir)
{
    if (map == object.ops_map())
        return std::nullopt;
    if (!bpf_map__is_internal(map))
        return user_map_pin(dir, bpf_map__name(map));
    for (const SectionInfo &s : sections())
        if (object.section_map(s.section) == map)
            return map_pin(dir, s.section);
    return std::nullopt; // .kconfig and the like: nothing to show
}

Status pin_all(const FilterObject &object, bpf_link *link, const fs::path &dir)
{
    if (auto st = make_pin_dir(dir); !st)
        return st;
    if (int err = bpf_link__pin(link, link_pin(dir).c_str()))
        return sys_error("pin " + link_pin(dir).string(), -err);
    bpf_map *map;
    bpf_object__for_each_map(map, object.object())
    {
        auto pin = map_pin_of(object, map, dir);
        if (!pin)
            continue;
        if (int err = bpf_map__pin(map, pin->c_str()))
            return sys_error("pin " + pin->string(), -err);
    }
    return ok();
}

} // namespace

Result<Attached> attach(const AttachRequest &req)
{
    auto dev = block_device(req.device);
    if (!dev)
        return dev.error();
    auto opened = open_filter(req);
    if (!opened)
        return opened.error();
    FilterObject &object = opened->object;
    if (auto st = prepare(object, *dev, req); !st)
        return st.error();
    std::string name = object.name();
    KernelContext ctx{Step::load, name, req.device};

    if (auto st = check_bpffs(); !st)
        return st.error();
    // Pins left by a removed disk that had this number go first.
    if (auto reaped = reap_stale(*dev); !reaped)
        return reaped.error();
    fs::path dir = pin_dir(*dev, name);
    std::error_code ec;
    if (fs::exists(dir, ec))
        return Error{
            fmt::format("'{}' on {} is already pinned at {}", name, req.device, dir.string()),
            fmt::format("dmfilter detach {} {}; or attach with --name", req.device, name)};

    object.set_attach_time(monotonic_ns());
    if (int err = bpf_object__load(object.object()))
        return kernel_error(-err, ctx);
    ctx.step = Step::attach;
    BpfLinkPtr link(bpf_map__attach_struct_ops(object.ops_map()));
    if (!link)
        return kernel_error(errno, ctx);
    if (auto st = pin_all(object, link.get(), dir); !st) {
        (void)remove_pins(dir);
        bpf_link__detach(link.get());
        return st.error();
    }
    bpf_link__disconnect(link.get()); // the pin holds it from now on
    return Attached{*dev, name, dir};
}

} // namespace dmfilter
