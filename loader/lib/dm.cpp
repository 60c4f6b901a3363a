// dm.cpp - device-mapper through libdevmapper, as dmsetup drives it: a
// task per call, udev cookies so /dev/mapper nodes exist when the call
// returns (libdevmapper makes them itself where no udev runs).
#include "dmfilter/dm.hpp"

#include <cerrno>
#include <cstring>
#include <libdevmapper.h>
#include <memory>

namespace dmfilter::dm
{

namespace
{

struct TaskDeleter {
    void operator()(dm_task *t) const { dm_task_destroy(t); }
};
using Task = std::unique_ptr<dm_task, TaskDeleter>;

Result<Task> task(int type, const std::string &name)
{
    Task t(dm_task_create(type));
    if (!t || !dm_task_set_name(t.get(), name.c_str()))
        return Error{"device-mapper: cannot prepare a request for " + name,
                     "is dm-mod loaded? (modprobe dm-mod)"};
    return t;
}

// Run t; with a udev cookie for calls that add or remove nodes.
Status run(dm_task *t, const std::string &what, bool nodes)
{
    std::uint32_t cookie = 0;
    if (nodes && !dm_task_set_cookie(t, &cookie, 0))
        return Error{"device-mapper: cannot " + what};
    bool done = dm_task_run(t);
    int err = dm_task_get_errno(t);
    if (nodes)
        dm_udev_wait(cookie);
    if (!done)
        return Error{"device-mapper: cannot " + what +
                         (err ? std::string(": ") + std::strerror(err) : ""),
                     "the kernel log says why: dmesg | tail"};
    return ok();
}

Result<std::vector<Target>> targets(int type, const std::string &name, const std::string &what)
{
    auto t = task(type, name);
    if (!t)
        return t.error();
    if (auto st = run(t->get(), what + " of " + name, false); !st)
        return st.error();
    std::vector<Target> result;
    void *next = nullptr;
    do {
        std::uint64_t start = 0, length = 0;
        char *ttype = nullptr, *params = nullptr;
        next = dm_get_next_target(t->get(), next, &start, &length, &ttype, &params);
        if (ttype)
            result.push_back({start, length, ttype, params ? params : ""});
    } while (next);
    return result;
}

} // namespace

std::string path(const std::string &name)
{
    return std::string(dm_dir()) + "/" + name;
}

Result<DevId> create(const std::string &name, const std::vector<Target> &table, bool read_only)
{
    auto t = task(DM_DEVICE_CREATE, name);
    if (!t)
        return t.error();
    for (const Target &line : table)
        if (!dm_task_add_target(t->get(), line.start, line.length, line.type.c_str(),
                                line.params.c_str()))
            return Error{"device-mapper: cannot add a " + line.type + " target to " + name};
    if (read_only && !dm_task_set_ro(t->get()))
        return Error{"device-mapper: cannot make " + name + " read-only"};
    std::string first =
        table.empty() ? "" : " (" + table.front().type + " " + table.front().params + ")";
    if (auto st = run(t->get(), "create " + name + first, true); !st)
        return st.error();
    auto dev = find(name);
    if (!dev)
        return dev.error();
    if (!*dev)
        return Error{"device-mapper: " + name + " vanished right after its creation"};
    return **dev;
}

Status suspend(const std::string &name)
{
    auto t = task(DM_DEVICE_SUSPEND, name);
    if (!t)
        return t.error();
    return run(t->get(), "suspend " + name, false);
}

Status resume(const std::string &name)
{
    auto t = task(DM_DEVICE_RESUME, name);
    if (!t)
        return t.error();
    return run(t->get(), "resume " + name, true);
}

Status remove(const std::string &name)
{
    auto t = task(DM_DEVICE_REMOVE, name);
    if (!t)
        return t.error();
    dm_task_retry_remove(t->get()); // a moment's holder (blkid, a closing fd)
    return run(t->get(), "remove " + name, true);
}

Result<std::optional<DevId>> find(const std::string &name)
{
    auto t = task(DM_DEVICE_INFO, name);
    if (!t)
        return t.error();
    if (auto st = run(t->get(), "look up " + name, false); !st)
        return st.error();
    dm_info info{};
    if (!dm_task_get_info(t->get(), &info))
        return Error{"device-mapper: no information on " + name};
    if (!info.exists)
        return std::optional<DevId>{};
    return std::optional<DevId>{
        DevId{static_cast<std::uint32_t>(info.major), static_cast<std::uint32_t>(info.minor)}};
}

Result<std::vector<Target>> table(const std::string &name)
{
    return targets(DM_DEVICE_TABLE, name, "read the table");
}

Result<std::vector<Target>> status(const std::string &name)
{
    return targets(DM_DEVICE_STATUS, name, "read the status");
}

} // namespace dmfilter::dm
