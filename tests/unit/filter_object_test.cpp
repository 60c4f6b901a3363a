// filter_object_test.cpp - the built delay.bpf.o opened with libbpf (not
// loaded): knobs found through BTF, and device, name and knob values
// patched into the values load would write.
#include <catch2/catch_test_macros.hpp>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "dmfilter/filter_object.hpp"
#include "dmfilter_ops.h"
#include "scratch.hpp"

using namespace dmfilter;

namespace
{

FilterObject open_delay()
{
    auto object = FilterObject::open(DELAY_BPF_O);
    if (!object)
        FAIL(object.error().message);
    return std::move(*object);
}

// The struct_ops value as the module's own header lays it out.
dmfilter_ops ops_of(const FilterObject &object)
{
    dmfilter_ops ops{};
    auto value = object.ops_value();
    REQUIRE(value.size() >= sizeof(ops));
    std::memcpy(&ops, value.data(), sizeof(ops));
    return ops;
}

std::vector<std::uint8_t> bytes(std::span<const std::uint8_t> span)
{
    return {span.begin(), span.end()};
}

} // namespace

TEST_CASE("the delay filter's knobs are its globals, found through BTF", "[filter_object]")
{
    FilterObject delay = open_delay();
    std::vector<std::string> names;
    for (const Knob &k : delay.knobs())
        names.push_back(k.name);
    for (const char *expected :
         {"ms", "us", "read_ms", "read_us", "write_ms", "write_us", "flush_ms", "flush_us"})
        CHECK(std::ranges::find(names, expected) != names.end());
    const Knob *ms = find_knob(delay.knobs(), "ms");
    REQUIRE(ms);
    CHECK(ms->size == 4);
    CHECK(ms->type == "__u32");
    CHECK(ms->kind == KnobKind::unsigned_int);
    CHECK(section_info(ms->section).live);
    CHECK(delay.section_map(ms->section) != nullptr);
}

TEST_CASE("setting ms before load changes exactly its 4 bytes of the initial value",
          "[filter_object]")
{
    FilterObject delay = open_delay();
    std::vector<Assignment> others;
    for (const Knob &k : delay.knobs())
        if (k.name != "ms")
            others.push_back({k.name, "0xffffffff"});
    REQUIRE(delay.set_knobs(others));
    const Knob *ms = find_knob(delay.knobs(), "ms");
    REQUIRE(ms);
    auto before = bytes(delay.section_value(ms->section));
    REQUIRE(before.size() >= ms->offset + 4);

    std::vector<Assignment> set{{"ms", "50"}};
    REQUIRE(delay.set_knobs(set));
    auto after = bytes(delay.section_value(ms->section));
    REQUIRE(after.size() == before.size());
    for (std::size_t i = 0; i < after.size(); i++)
        if (i < ms->offset || i >= ms->offset + 4)
            CHECK(after[i] == before[i]);
    std::uint32_t value;
    std::memcpy(&value, after.data() + ms->offset, sizeof(value));
    CHECK(value == 50);
}

TEST_CASE("knob errors before load name the knob and list the filter's knobs", "[filter_object]")
{
    FilterObject delay = open_delay();
    std::vector<Assignment> unknown{{"seconds", "1"}};
    auto st = delay.set_knobs(unknown);
    REQUIRE_FALSE(st);
    CHECK(st.error().message == "filter 'delay' has no knob 'seconds'");
    CHECK(st.error().hint.find("read_ms") != std::string::npos);
    std::vector<Assignment> too_big{{"ms", "0x100000000"}};
    REQUIRE_FALSE(delay.set_knobs(too_big));
}

TEST_CASE("the struct_ops value gets the kernel dev_t and keeps the filter's name",
          "[filter_object]")
{
    FilterObject delay = open_delay();
    CHECK(delay.name() == "delay");
    REQUIRE(delay.set_device({254, 3}));
    dmfilter_ops ops = ops_of(delay);
    CHECK(ops.dev == (254u << 20 | 3u));
    CHECK(std::string(ops.name) == "delay");
}

TEST_CASE("a new name replaces the struct_ops name, and bad names are refused", "[filter_object]")
{
    FilterObject delay = open_delay();
    REQUIRE(delay.set_name("slow"));
    CHECK(std::string(ops_of(delay).name) == "slow");
    CHECK(delay.name() == "slow");
    for (const char *bad : {"", "a/b", "..", ".hidden", "with space"})
        CHECK_FALSE(delay.set_name(bad));
    CHECK_FALSE(delay.set_name(std::string(32, 'x')));
    CHECK(delay.set_name(std::string(31, 'x')));
    CHECK(delay.name() == std::string(31, 'x'));
}

TEST_CASE("a file that is not a BPF object is refused with a hint", "[filter_object]")
{
    auto tmp = scratch::temp_dir();
    auto junk = scratch::write_file(tmp.path() / "junk.bpf.o", "not ELF");
    auto object = FilterObject::open(junk);
    REQUIRE_FALSE(object);
    CHECK(object.error().message.find("not a BPF object") != std::string::npos);
}

TEST_CASE("the SDK's dmf_attach_ns is not a knob, and the loader sets it", "[filter_object]")
{
    auto object = FilterObject::open(FLAKEY_BPF_O);
    REQUIRE(object);
    CHECK(find_knob(object->knobs(), "up"));
    CHECK_FALSE(find_knob(object->knobs(), "dmf_attach_ns"));
    std::vector<Assignment> set{{"dmf_attach_ns", "1"}};
    CHECK_FALSE(object->set_knobs(set));

    auto before = bytes(object->section_value(Section::rodata));
    REQUIRE(before.size() >= 8);
    object->set_attach_time(0x1122334455667788u);
    auto after = bytes(object->section_value(Section::rodata));
    REQUIRE(after.size() == before.size());
    std::uint64_t found = 0;
    for (std::size_t off = 0; off + 8 <= after.size(); off += 8) {
        std::uint64_t v;
        std::memcpy(&v, after.data() + off, 8);
        if (v == 0x1122334455667788u)
            found++;
    }
    CHECK(found == 1);
}
