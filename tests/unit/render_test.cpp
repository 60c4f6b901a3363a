// render_test.cpp - list/status output, text and JSON, from made-up
// attachments.
#include <catch2/catch_test_macros.hpp>

#include <nlohmann/json.hpp>

#include "dmfilter/render.hpp"

using namespace dmfilter;

namespace
{

// Field by field: GCC 12 at -O2 warns (maybe-uninitialized) on the
// std::string of a FilterInfo built inside a nested braced list.
Attachment attachment(std::string device, DevId dev, std::uint32_t position, std::string name,
                      Counters counters, std::vector<KnobValue> knobs)
{
    Attachment a;
    a.device = std::move(device);
    a.info.dev = dev;
    a.info.position = position;
    a.info.name = std::move(name);
    a.info.counters = counters;
    a.knobs = std::move(knobs);
    return a;
}

Listing sample()
{
    Knob bios{"bios", "__u64", Section::bss, 0, 8, KnobKind::unsigned_int};
    Knob bias{"bias", "int", Section::data, 0, 4, KnobKind::signed_int};
    Knob on{"enabled", "bool", Section::rodata, 0, 1, KnobKind::boolean};
    return {
        {
            attachment("/dev/nullb0", {254, 0}, 0, "pass", {10, 9, 1, 0, 0, 40960}, {{bios, 10}}),
            attachment("/dev/sda1", {8, 1}, 1, "slow", {3, 0, 0, 3, 2, 12288},
                       {{bias, 0xfffffffe}, {on, 1}}),
        },
        {},
        HookState{"lazy", true, 5000}};
}

} // namespace

TEST_CASE("list --json follows the version 1 schema", "[render]")
{
    auto json = nlohmann::json::parse(render_json(sample()));
    CHECK(json["version"] == 1);
    REQUIRE(json["attachments"].size() == 2);
    const auto &pass = json["attachments"][0];
    CHECK(pass["device"] == "/dev/nullb0");
    CHECK(pass["dev"] == "254:0");
    CHECK(pass["filter"] == "pass");
    CHECK(pass["position"] == 0);
    CHECK(pass["counters"] == nlohmann::json{{"seen", 10},
                                             {"passed", 9},
                                             {"completed", 1},
                                             {"delayed", 0},
                                             {"queued", 0},
                                             {"bytes", 40960}});
    CHECK(pass["knobs"] == nlohmann::json{{"bios", 10}});
    const auto &slow = json["attachments"][1];
    CHECK(slow["position"] == 1);
    CHECK(slow["knobs"]["bias"] == -2);
    CHECK(slow["knobs"]["enabled"] == true);
    CHECK(json["hook"] ==
          nlohmann::json{{"mode", "lazy"}, {"installed", true}, {"linger_ms", 5000}});
}

TEST_CASE("no attachments is an empty JSON list", "[render]")
{
    auto json = nlohmann::json::parse(render_json(Listing{}));
    CHECK(json == nlohmann::json{{"version", 1},
                                 {"attachments", nlohmann::json::array()},
                                 {"remaps", nlohmann::json::array()}});
}

TEST_CASE("list shows remaps: JSON entries and a text table after the filters", "[render]")
{
    Listing listing{{}, {RemapInfo{{7, 0}, {253, 2}, 120, 3}}, std::nullopt};
    auto json = nlohmann::json::parse(render_json(listing));
    REQUIRE(json["remaps"].size() == 1);
    const auto &r = json["remaps"][0];
    CHECK(r["dev"] == "7:0");
    CHECK(r["dm_dev"] == "253:2");
    CHECK(r["redirected"] == 120);
    CHECK(r["in_flight"] == 3);
    CHECK(r.contains("device"));
    CHECK(r.contains("dm_device"));
    std::string text = render_text(listing);
    CHECK(text.starts_with("no filters attached\n\nDEVICE"));
    CHECK(text.find("REMAPPED TO") != std::string::npos);
    CHECK(text.ends_with("120         3\n"));
    auto only = nlohmann::json::parse(render_json(std::span<const RemapInfo>(listing.remaps)));
    CHECK(only["version"] == 1);
    CHECK(only["remaps"] == json["remaps"]);
    CHECK(render_text(std::span<const RemapInfo>{}) == "no devices remapped\n");
}

TEST_CASE("the text table has one row per attachment under aligned headers", "[render]")
{
    std::string text = render_text(sample());
    std::vector<std::string> lines;
    for (std::size_t pos = 0, end; (end = text.find('\n', pos)) != std::string::npos; pos = end + 1)
        lines.push_back(text.substr(pos, end - pos));
    REQUIRE(lines.size() == 4);
    CHECK(lines[0].starts_with("DEVICE"));
    for (const char *header :
         {"FILTER", "SEEN", "PASSED", "COMPLETED", "DELAYED", "QUEUED", "BYTES", "KNOBS"})
        CHECK(lines[0].find(header) != std::string::npos);
    CHECK(lines[1].find("pass") == lines[0].find("FILTER"));
    CHECK(lines[1].ends_with("bios=10"));
    CHECK(lines[2].ends_with("bias=-2 enabled=true"));
    CHECK(lines[3] ==
          "hook: installed (lazy: installed on attach, removed 5000 ms after the last detach)");
}

TEST_CASE("an empty list says so in text", "[render]")
{
    CHECK(render_text(Listing{}) == "no filters attached\n");
    CHECK(render_text(Listing{{}, {}, HookState{"eager", true, 5000}}) ==
          "no filters attached\nhook: installed (eager: installed from module load to unload)\n");
}

TEST_CASE("filters --json lists knobs with type, size and section", "[render]")
{
    std::vector<FilterSummary> filters{
        {"delay",
         "/x/delay.bpf.o",
         {{"ms", "__u32", Section::bss, 0, 4, KnobKind::unsigned_int}},
         {},
         {"holds bios", {{"ms", "delay of every bio, ms"}}}}};
    auto json = nlohmann::json::parse(render_json(filters));
    CHECK(json["version"] == 1);
    CHECK(json["filters"][0]["summary"] == "holds bios");
    const auto &knob = json["filters"][0]["knobs"][0];
    CHECK(knob == nlohmann::json{{"name", "ms"},
                                 {"type", "__u32"},
                                 {"size", 4},
                                 {"section", "bss"},
                                 {"live", true},
                                 {"doc", "delay of every bio, ms"}});
}
