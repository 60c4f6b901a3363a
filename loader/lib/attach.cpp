// attach.cpp - attach: resolve and open the filter, patch device, name and
// knobs, load, attach the struct_ops link, pin link and data maps.
#include "dmfilter/attach.hpp"

#include <bpf/libbpf.h>
#include <fmt/format.h>
#include <optional>

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

Status pin_all(const FilterObject &object, bpf_link *link, const fs::path &dir)
{
    if (auto st = make_pin_dir(dir); !st)
        return st;
    if (int err = bpf_link__pin(link, link_pin(dir).c_str()))
        return sys_error("pin " + link_pin(dir).string(), -err);
    for (const SectionInfo &s : sections()) {
        bpf_map *map = object.section_map(s.section);
        fs::path pin = map_pin(dir, s.section);
        if (!map)
            continue;
        if (int err = bpf_map__pin(map, pin.c_str()))
            return sys_error("pin " + pin.string(), -err);
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
