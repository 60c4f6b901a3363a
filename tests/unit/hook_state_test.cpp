// hook_state_test.cpp - the hook's state as read from module parameters
// laid out as /sys/module/dmfilter/parameters shows them.
#include <catch2/catch_test_macros.hpp>

#include "dmfilter/hook_state.hpp"
#include "scratch.hpp"

using namespace dmfilter;

namespace
{

fs::path params(const std::string &mode, const std::string &installed, const std::string &linger)
{
    static auto dir = scratch::temp_dir();
    fs::path p = dir.path() / (mode + installed + linger);
    scratch::write_file(p / "hook", mode + "\n");
    scratch::write_file(p / "hook_installed", installed + "\n");
    scratch::write_file(p / "hook_linger_ms", linger + "\n");
    return p;
}

} // namespace

TEST_CASE("a lingering lazy hook reads as installed, with its linger", "[hook]")
{
    auto state = hook_state(params("lazy", "Y", "5000"));
    REQUIRE(state);
    CHECK(state->mode == "lazy");
    CHECK(state->installed);
    CHECK(state->linger_ms == 5000);
}

TEST_CASE("hook_installed N reads as not installed", "[hook]")
{
    auto state = hook_state(params("eager", "N", "0"));
    REQUIRE(state);
    CHECK(state->mode == "eager");
    CHECK_FALSE(state->installed);
}

TEST_CASE("no module parameters, or a garbled one, is no hook state", "[hook]")
{
    CHECK_FALSE(hook_state("/nonexistent/parameters"));
    CHECK_FALSE(hook_state(params("lazy", "Y", "5s")));
}
