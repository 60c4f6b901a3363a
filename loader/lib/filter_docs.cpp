// filter_docs.cpp - read a filter object's .dmfilter.doc section with libelf.
#include "dmfilter/filter_docs.hpp"

#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <memory>
#include <string_view>

#include "dmfilter/fd.hpp"

namespace dmfilter
{

namespace
{

constexpr std::string_view kDocSection = ".dmfilter.doc";

struct ElfDeleter {
    void operator()(Elf *elf) const { elf_end(elf); }
};
using ElfPtr = std::unique_ptr<Elf, ElfDeleter>;

} // namespace

FilterDocs parse_filter_docs(std::span<const char> section)
{
    FilterDocs docs;
    std::string_view rest(section.data(), section.size());
    // Next NUL-terminated string; a name skips the padding before it, a
    // text does not (an empty text is one NUL).
    auto next = [&rest](bool skip_padding) -> std::string_view {
        while (skip_padding && !rest.empty() && rest.front() == '\0')
            rest.remove_prefix(1);
        std::size_t end = rest.find('\0');
        std::string_view word = rest.substr(0, end);
        rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 1);
        return word;
    };
    for (std::string_view name = next(true); !name.empty(); name = next(true)) {
        std::string text(next(false));
        if (name == "*")
            docs.summary = std::move(text);
        else
            docs.knobs[std::string(name)] = std::move(text);
    }
    return docs;
}

Result<FilterDocs> read_filter_docs(const std::filesystem::path &path)
{
    if (elf_version(EV_CURRENT) == EV_NONE)
        return Error{"libelf is unusable", ""};
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd)
        return sys_error("open " + path.string(), errno);
    ElfPtr elf(elf_begin(fd.get(), ELF_C_READ, nullptr));
    std::size_t shstrndx = 0;
    if (!elf || elf_getshdrstrndx(elf.get(), &shstrndx) != 0)
        return Error{path.string() + ": not an ELF object", ""};
    for (Elf_Scn *scn = nullptr; (scn = elf_nextscn(elf.get(), scn));) {
        GElf_Shdr shdr;
        if (!gelf_getshdr(scn, &shdr))
            continue;
        const char *name = elf_strptr(elf.get(), shstrndx, shdr.sh_name);
        if (!name || kDocSection != name)
            continue;
        Elf_Data *data = elf_getdata(scn, nullptr);
        if (!data || !data->d_buf)
            break;
        return parse_filter_docs({static_cast<const char *>(data->d_buf), data->d_size});
    }
    return FilterDocs{};
}

} // namespace dmfilter
