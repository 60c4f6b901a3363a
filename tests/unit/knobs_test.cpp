// knobs_test.cpp - knob assignments and values as a user types them.
#include <catch2/catch_test_macros.hpp>
#include <catch2/generators/catch_generators.hpp>

#include "dmfilter/knobs.hpp"

using namespace dmfilter;

namespace
{

Knob knob(std::uint32_t size, KnobKind kind = KnobKind::unsigned_int)
{
    return Knob{"k", "test", Section::data, 0, size, kind};
}

} // namespace

TEST_CASE("an assignment splits at the first '='", "[knobs]")
{
    auto a = parse_assignment("ms=50");
    REQUIRE(a);
    CHECK(a->name == "ms");
    CHECK(a->value == "50");
    auto b = parse_assignment("expr=a=b");
    REQUIRE(b);
    CHECK(b->name == "expr");
    CHECK(b->value == "a=b");
}

TEST_CASE("an assignment without a name or a value is refused with a hint", "[knobs]")
{
    auto text = GENERATE("a=", "=1", "a", "", "=");
    auto a = parse_assignment(text);
    REQUIRE_FALSE(a);
    CHECK(a.error().message.find("not a knob assignment") != std::string::npos);
    CHECK_FALSE(a.error().hint.empty());
}

TEST_CASE("values are decimal or 0x hex", "[knobs]")
{
    CHECK(*parse_value(knob(4), "10") == 10);
    CHECK(*parse_value(knob(4), "0x10") == 16);
    CHECK(*parse_value(knob(4), "0XfF") == 255);
    CHECK_FALSE(parse_value(knob(4), "0x"));
    CHECK_FALSE(parse_value(knob(4), "12ms"));
    CHECK_FALSE(parse_value(knob(4), ""));
    CHECK_FALSE(parse_value(knob(4), "+1"));
}

TEST_CASE("an errno name is its number, negated with a leading minus", "[knobs]")
{
    CHECK(*parse_value(knob(4, KnobKind::signed_int), "ENOSPC") == 28u);
    CHECK(*parse_value(knob(4, KnobKind::signed_int), "EIO") == 5u);
    CHECK(*parse_value(knob(4, KnobKind::signed_int), "-ETIMEDOUT") == 0xffffff92u);
    CHECK(*parse_value(knob(4), "ENODATA") == 61u);
    auto bad = parse_value(knob(4), "ENOSUCH");
    REQUIRE_FALSE(bad);
    CHECK(bad.error().message.find("errno name") != std::string::npos);
}

TEST_CASE("the largest value of each size fits and one more does not", "[knobs]")
{
    struct Case {
        std::uint32_t size;
        const char *max;
        const char *over;
    };
    auto c = GENERATE(Case{1, "255", "256"}, Case{2, "65535", "65536"},
                      Case{4, "4294967295", "4294967296"},
                      Case{8, "18446744073709551615", "18446744073709551616"});
    auto max = parse_value(knob(c.size), c.max);
    REQUIRE(max);
    CHECK(*max == (c.size == 8 ? ~0ull : (1ull << (8 * c.size)) - 1));
    auto over = parse_value(knob(c.size), c.over);
    REQUIRE_FALSE(over);
    CHECK(over.error().message.find("does not fit") != std::string::npos);
}

TEST_CASE("signed knobs take negative values within their range", "[knobs]")
{
    Knob s8 = knob(1, KnobKind::signed_int);
    CHECK(*parse_value(s8, "-128") == 0x80);
    CHECK(*parse_value(s8, "127") == 127);
    CHECK_FALSE(parse_value(s8, "128"));
    CHECK_FALSE(parse_value(s8, "-129"));
    Knob s32 = knob(4, KnobKind::signed_int);
    CHECK(*parse_value(s32, "-1") == 0xffffffffull);
    CHECK(*parse_value(knob(8, KnobKind::signed_int), "-0x8000000000000000") ==
          0x8000000000000000ull);
}

TEST_CASE("unsigned knobs refuse negative values", "[knobs]")
{
    auto r = parse_value(knob(4), "-1");
    REQUIRE_FALSE(r);
    CHECK(r.error().message.find("negative") != std::string::npos);
}

TEST_CASE("1-byte knobs take true/false/on/off, wider ones do not", "[knobs]")
{
    CHECK(*parse_value(knob(1), "true") == 1);
    CHECK(*parse_value(knob(1), "on") == 1);
    CHECK(*parse_value(knob(1), "false") == 0);
    CHECK(*parse_value(knob(1), "off") == 0);
    CHECK_FALSE(parse_value(knob(4), "true"));
    Knob flag = knob(1, KnobKind::boolean);
    CHECK(*parse_value(flag, "1") == 1);
    CHECK_FALSE(parse_value(flag, "2"));
}

TEST_CASE("values read back as their type says", "[knobs]")
{
    CHECK(format_value({knob(1, KnobKind::signed_int), 0xff}) == "-1");
    CHECK(format_value({knob(2, KnobKind::signed_int), 0x7fff}) == "32767");
    CHECK(format_value({knob(8, KnobKind::signed_int), ~0ull}) == "-1");
    CHECK(format_value({knob(4), 0xffffffff}) == "4294967295");
    CHECK(format_value({knob(1, KnobKind::boolean), 1}) == "true");
}

TEST_CASE("a knob is written at its offset with its size only", "[knobs]")
{
    std::vector<std::uint8_t> value(8, 0xaa);
    Knob k{"k", "__u16", Section::bss, 2, 2, KnobKind::unsigned_int};
    write_knob(value, k, 0x1234);
    CHECK(value == std::vector<std::uint8_t>{0xaa, 0xaa, 0x34, 0x12, 0xaa, 0xaa, 0xaa, 0xaa});
    CHECK(read_knob(value, k) == 0x1234);
}

TEST_CASE("an unknown knob is an error that lists the filter's knobs", "[knobs]")
{
    std::vector<Knob> knobs{{"ms", "__u32", Section::bss, 0, 4, KnobKind::unsigned_int},
                            {"us", "__u32", Section::bss, 4, 4, KnobKind::unsigned_int}};
    std::vector<Assignment> set{{"ms", "5"}, {"sec", "1"}};
    auto r = resolve_assignments("delay", knobs, set);
    REQUIRE_FALSE(r);
    CHECK(r.error().message == "filter 'delay' has no knob 'sec'");
    CHECK(r.error().hint == "knobs of 'delay': ms, us");
}
