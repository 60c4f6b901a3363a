// filter_file.cpp - FILTER argument resolution, and compiling a .bpf.c
// filter with clang against the SDK.
#include "dmfilter/filter_file.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fmt/format.h>
#include <spawn.h>
#include <sys/wait.h>

extern char **environ;

namespace dmfilter
{

namespace
{

constexpr const char *kInstalledFilterDir = "/usr/local/lib/dmfilter/filters";
constexpr const char *kDefaultClang = "clang-19";

std::string env_or(const char *name, std::string fallback)
{
    const char *value = std::getenv(name);
    return value && *value ? value : std::move(fallback);
}

Result<FilterFile> existing(const fs::path &path, FilterKind kind)
{
    std::error_code ec;
    if (!fs::is_regular_file(path, ec))
        return Error{fmt::format("{}: no such filter file", path.string())};
    return FilterFile{path, kind};
}

Result<int> run(const std::vector<std::string> &argv)
{
    std::vector<char *> args;
    for (const std::string &arg : argv)
        args.push_back(const_cast<char *>(arg.c_str()));
    args.push_back(nullptr);
    pid_t pid;
    int err = posix_spawnp(&pid, args[0], nullptr, nullptr, args.data(), environ);
    if (err)
        return Error{fmt::format("cannot run {}: {}", argv[0], std::strerror(err)),
                     "install clang-19, or set DMFILTER_CLANG to a clang with the BPF target"};
    int status = 0;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return sys_error("waitpid " + argv[0], errno);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

} // namespace

std::vector<fs::path> filter_dirs(const fs::path &exe_dir)
{
    std::vector<fs::path> dirs;
    if (const char *dir = std::getenv("DMFILTER_FILTER_DIR"); dir && *dir)
        dirs.emplace_back(dir);
    dirs.push_back((exe_dir / ".." / "filters").lexically_normal());
    dirs.emplace_back(kInstalledFilterDir);
    return dirs;
}

fs::path exe_dir()
{
    std::error_code ec;
    fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    return ec ? fs::path(".") : exe.parent_path();
}

Result<FilterFile> resolve_filter(const std::string &arg, const std::vector<fs::path> &dirs)
{
    if (arg.ends_with(".bpf.c"))
        return existing(arg, FilterKind::source);
    if (arg.ends_with(".o"))
        return existing(arg, FilterKind::object);
    if (arg.find('/') != std::string::npos)
        return Error{fmt::format("{}: a filter file ends in .bpf.o or .bpf.c", arg)};
    for (const fs::path &dir : dirs) {
        std::error_code ec;
        fs::path candidate = dir / (arg + ".bpf.o");
        if (fs::is_regular_file(candidate, ec))
            return FilterFile{candidate, FilterKind::object};
    }
    std::vector<std::string> searched;
    for (const fs::path &dir : dirs)
        searched.push_back(dir.string());
    return Error{fmt::format("no filter named '{}' (looked in {})", arg, fmt::join(searched, ", ")),
                 "'dmfilter filters' lists the shipped filters; or give a .bpf.o or .bpf.c path"};
}

Result<TempDir> TempDir::create()
{
    std::string tmpl = env_or("TMPDIR", "/tmp") + "/dmfilter.XXXXXX";
    if (!::mkdtemp(tmpl.data()))
        return sys_error("mkdtemp " + tmpl, errno);
    return TempDir(tmpl);
}

TempDir::TempDir(TempDir &&o) noexcept : path_(std::exchange(o.path_, {})) {}

TempDir::~TempDir()
{
    std::error_code ec;
    if (!path_.empty())
        fs::remove_all(path_, ec);
}

fs::path sdk_dir()
{
    return env_or("DMFILTER_SDK_DIR", DMFILTER_SOURCE_DIR);
}

Result<fs::path> compile_filter(const fs::path &source, const fs::path &out_dir)
{
    fs::path sdk = sdk_dir();
    std::error_code ec;
    if (!fs::is_regular_file(sdk / "vmlinux.h", ec) ||
        !fs::is_regular_file(sdk / "bpf" / "dmfilter.bpf.h", ec))
        return Error{
            fmt::format("no dmfilter SDK at {} (vmlinux.h, bpf/dmfilter.bpf.h)", sdk.string()),
            "set DMFILTER_SDK_DIR to a directory holding the SDK"};
    fs::path out = out_dir / source.filename().replace_extension(".o");
    std::string clang = env_or("DMFILTER_CLANG", kDefaultClang);
    auto rc = run({clang, "-g", "-O2", "-target", "bpf", "-D__TARGET_ARCH_x86", "-I" + sdk.string(),
                   "-I" + (sdk / "bpf").string(), "-c", source.string(), "-o", out.string()});
    if (!rc)
        return rc.error();
    if (*rc != 0)
        return Error{
            fmt::format("{} could not compile {} (exit status {})", clang, source.string(), *rc),
            "fix the errors clang printed above"};
    return out;
}

} // namespace dmfilter
