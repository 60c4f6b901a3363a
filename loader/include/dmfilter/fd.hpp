// fd.hpp - RAII owners: a move-only file descriptor and unique_ptr
// aliases for the libbpf objects the loader holds.
#pragma once

#include <memory>
#include <unistd.h>
#include <utility>

struct bpf_object;
struct bpf_link;
struct btf;

namespace dmfilter
{

class UniqueFd
{
public:
    UniqueFd() = default;
    explicit UniqueFd(int fd) : fd_(fd) {}
    UniqueFd(UniqueFd &&o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
    UniqueFd &operator=(UniqueFd &&o) noexcept
    {
        if (this != &o)
            reset(std::exchange(o.fd_, -1));
        return *this;
    }
    UniqueFd(const UniqueFd &) = delete;
    UniqueFd &operator=(const UniqueFd &) = delete;
    ~UniqueFd() { reset(); }

    int get() const { return fd_; }
    explicit operator bool() const { return fd_ >= 0; }
    void reset(int fd = -1)
    {
        if (fd_ >= 0)
            ::close(fd_);
        fd_ = fd;
    }

private:
    int fd_ = -1;
};

struct BpfObjectDeleter {
    void operator()(bpf_object *obj) const;
};
struct BpfLinkDeleter {
    void operator()(bpf_link *link) const;
};
struct BtfDeleter {
    void operator()(btf *btf) const;
};

using BpfObjectPtr = std::unique_ptr<bpf_object, BpfObjectDeleter>;
using BpfLinkPtr = std::unique_ptr<bpf_link, BpfLinkDeleter>;
using BtfPtr = std::unique_ptr<btf, BtfDeleter>;

} // namespace dmfilter
