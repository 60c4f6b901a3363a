// filter_file_test.cpp - what a FILTER argument resolves to, and compiling
// a .bpf.c filter against the SDK.
#include <catch2/catch_test_macros.hpp>

#include "dmfilter/filter_file.hpp"
#include "dmfilter/filter_object.hpp"
#include "scratch.hpp"

using namespace dmfilter;
using scratch::ScopedEnv;
using scratch::write_file;

TEST_CASE("DMFILTER_FILTER_DIR is searched first, then the exe's ../filters", "[filter_file]")
{
    ScopedEnv env("DMFILTER_FILTER_DIR", "/opt/my-filters");
    auto dirs = filter_dirs("/usr/bin");
    REQUIRE(dirs.size() == 3);
    CHECK(dirs[0] == "/opt/my-filters");
    CHECK(dirs[1] == "/usr/filters");
    CHECK(dirs[2] == "/usr/local/lib/dmfilter/filters");
}

TEST_CASE("a name is looked up as NAME.bpf.o, the first directory holding it wins", "[filter_file]")
{
    auto tmp = scratch::temp_dir();
    auto first = write_file(tmp.path() / "a" / "slow.bpf.o");
    write_file(tmp.path() / "b" / "slow.bpf.o");
    write_file(tmp.path() / "b" / "fast.bpf.o");
    ScopedEnv env("DMFILTER_FILTER_DIR", (tmp.path() / "a").string());
    std::vector<fs::path> dirs = filter_dirs("/nonexistent/bin");
    dirs.push_back(tmp.path() / "b");

    auto slow = resolve_filter("slow", dirs);
    REQUIRE(slow);
    CHECK(slow->path == first);
    CHECK(slow->kind == FilterKind::object);
    auto fast = resolve_filter("fast", dirs);
    REQUIRE(fast);
    CHECK(fast->path == tmp.path() / "b" / "fast.bpf.o");
}

TEST_CASE("an unknown name is an error naming the directories searched", "[filter_file]")
{
    auto tmp = scratch::temp_dir();
    auto r = resolve_filter("nosuch", {tmp.path()});
    REQUIRE_FALSE(r);
    CHECK(r.error().message.find("no filter named 'nosuch'") != std::string::npos);
    CHECK(r.error().message.find(tmp.path().string()) != std::string::npos);
    CHECK(r.error().hint.find("dmfilter filters") != std::string::npos);
}

TEST_CASE(".bpf.o and .bpf.c arguments are files, whatever the directories hold", "[filter_file]")
{
    auto tmp = scratch::temp_dir();
    auto object = write_file(tmp.path() / "x.bpf.o");
    auto source = write_file(tmp.path() / "y.bpf.c");
    auto o = resolve_filter(object.string(), {});
    REQUIRE(o);
    CHECK(o->kind == FilterKind::object);
    auto c = resolve_filter(source.string(), {});
    REQUIRE(c);
    CHECK(c->kind == FilterKind::source);
    CHECK_FALSE(resolve_filter((tmp.path() / "missing.bpf.o").string(), {}));
    CHECK_FALSE(resolve_filter((tmp.path() / "missing.bpf.c").string(), {}));
    CHECK_FALSE(resolve_filter((tmp.path() / "x").string(), {tmp.path()}));
}

TEST_CASE("a .bpf.c filter compiles against the SDK into a loadable-looking object",
          "[filter_file][clang]")
{
    auto tmp = scratch::temp_dir();
    auto out = compile_filter(PASS_BPF_C, tmp.path());
    REQUIRE(out);
    CHECK(out->filename() == "pass.bpf.o");
    auto object = FilterObject::open(*out);
    REQUIRE(object);
    CHECK(object->name() == "pass");
}

TEST_CASE("a .bpf.c that does not compile is an error that points at clang's output",
          "[filter_file][clang]")
{
    auto tmp = scratch::temp_dir();
    auto source = write_file(tmp.path() / "broken.bpf.c", "this is not C;\n");
    auto out = compile_filter(source, tmp.path());
    REQUIRE_FALSE(out);
    CHECK(out.error().message.find("could not compile") != std::string::npos);
}

TEST_CASE("a missing SDK is reported before clang runs", "[filter_file]")
{
    auto tmp = scratch::temp_dir();
    ScopedEnv env("DMFILTER_SDK_DIR", tmp.path().string());
    auto out = compile_filter(PASS_BPF_C, tmp.path());
    REQUIRE_FALSE(out);
    CHECK(out.error().message.find("no dmfilter SDK") != std::string::npos);
    CHECK(out.error().hint.find("DMFILTER_SDK_DIR") != std::string::npos);
}
