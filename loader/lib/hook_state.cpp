// hook_state.cpp - read the hook's module parameters.
#include "dmfilter/hook_state.hpp"

#include <charconv>
#include <fstream>

namespace dmfilter
{

namespace
{

std::optional<std::string> first_word(const std::filesystem::path &file)
{
    std::ifstream in(file);
    std::string word;
    if (!(in >> word))
        return std::nullopt;
    return word;
}

} // namespace

std::optional<HookState> hook_state(const std::filesystem::path &params)
{
    auto mode = first_word(params / "hook");
    auto installed = first_word(params / "hook_installed");
    auto linger = first_word(params / "hook_linger_ms");
    if (!mode || !installed || !linger)
        return std::nullopt;
    HookState state{*mode, *installed == "Y", 0};
    auto [end, ec] =
        std::from_chars(linger->data(), linger->data() + linger->size(), state.linger_ms);
    if (ec != std::errc() || end != linger->data() + linger->size())
        return std::nullopt;
    return state;
}

} // namespace dmfilter
