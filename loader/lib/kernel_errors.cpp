// kernel_errors.cpp - one table of the kernel errors the loader explains.
#include "dmfilter/kernel_errors.hpp"

#include <array>
#include <cerrno>
#include <cstring>
#include <fmt/format.h>
#include <optional>

namespace dmfilter
{

namespace
{

struct Explained {
    int err;
    std::optional<Step> step; // nullopt: any step
    std::string_view message; // fmt: {filter}, {device}, as hint
    std::string_view hint;
};

constexpr std::array kExplained = {
    Explained{ENOENT, Step::load, "the dmfilter module is not loaded",
              "modprobe dmfilter (or insmod dmfilter.ko)"},
    Explained{EOPNOTSUPP, Step::load, "the dmfilter module is not loaded",
              "modprobe dmfilter (or insmod dmfilter.ko)"},
    Explained{ENOENT, Step::list, "the dmfilter module is not loaded",
              "modprobe dmfilter (or insmod dmfilter.ko)"},
    Explained{EINVAL, Step::list,
              "the loaded dmfilter module does not take this loader's list ioctl",
              "use the loader built with the loaded module (ioctl version 1)"},
    Explained{EEXIST, std::nullopt, "a filter named '{filter}' is already attached to {device}",
              "give this one another name with --name NAME"},
    Explained{ENODEV, std::nullopt, "{device}: no such device for the dmfilter module",
              "check that the device still exists (lsblk)"},
    Explained{EINVAL, Step::remap_start,
              "the kernel refused to remap {device} to {filter}: {filter} is not built on "
              "{device} through dmfilter-linear, or uses {device} directly",
              "its table, or that of a DM device it uses, needs 'dmfilter-linear {device} 0'; "
              "the kernel log says more: dmesg | grep 'dmfilter: remap' | tail -1"},
    Explained{EBUSY, Step::remap_start, "{device} is already remapped",
              "dmfilter remap stop {device} first"},
    Explained{ELOOP, Step::remap_start, "{filter} is itself remapped to another device",
              "remap {device} to a device that is not remapped"},
    Explained{ENOENT, Step::remap_stop, "{device} is not remapped",
              "dmfilter list shows the remapped devices"},
    Explained{EACCES, Step::load, "the kernel rejected filter '{filter}'",
              "the verifier's log is above; -v shows all of libbpf's output"},
    // Elsewhere EACCES is bpffs's or /dev/dmfilter's mode: root's alone.
    Explained{EPERM, std::nullopt, "this needs root (CAP_SYS_ADMIN)", "run it with sudo"},
    Explained{EACCES, std::nullopt, "this needs root (CAP_SYS_ADMIN)", "run it with sudo"},
    Explained{EINVAL, Step::load, "the kernel rejected filter '{filter}'",
              "the verifier's log is above; -v shows all of libbpf's output"},
};

constexpr std::array kStepNames = {
    "load filter '{filter}'", "attach '{filter}' to {device}", "detach '{filter}' from {device}",
    "list the attachments",   "remap {device} to {filter}",    "stop the remap of {device}",
    "open the pin {filter}"};

std::string expand(std::string_view text, const KernelContext &ctx)
{
    return fmt::format(fmt::runtime(text), fmt::arg("filter", ctx.filter),
                       fmt::arg("device", ctx.device));
}

} // namespace

Error kernel_error(int err, const KernelContext &ctx)
{
    for (const Explained &e : kExplained)
        if (e.err == err && (!e.step || *e.step == ctx.step))
            return Error{expand(e.message, ctx), expand(e.hint, ctx)};
    std::string_view step = kStepNames[static_cast<std::size_t>(ctx.step)];
    return Error{fmt::format("cannot {}: {}", expand(step, ctx), std::strerror(err))};
}

} // namespace dmfilter
