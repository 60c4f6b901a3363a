// hook_state.hpp - whether the module's submit_bio_noacct hook is installed
// and in which mode, from /sys/module/dmfilter/parameters (kmod/hook.c).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace dmfilter
{

inline constexpr const char *kModuleParams = "/sys/module/dmfilter/parameters";

struct HookState {
    std::string mode;            // "lazy" or "eager"
    bool installed = false;      // the hook patches submit_bio_noacct now
    std::uint32_t linger_ms = 0; // lazy: kept this long after the last detach
};

// The module's hook state; nullopt when the parameters cannot be read
// (module not loaded, or one that predates them).
std::optional<HookState> hook_state(const std::filesystem::path &params = kModuleParams);

} // namespace dmfilter
