// owners.cpp - the deleters behind the libbpf unique_ptr aliases of fd.hpp.
#include "dmfilter/fd.hpp"

#include <bpf/btf.h>
#include <bpf/libbpf.h>

namespace dmfilter
{

void BpfObjectDeleter::operator()(bpf_object *obj) const
{
    bpf_object__close(obj);
}
void BpfLinkDeleter::operator()(bpf_link *link) const
{
    bpf_link__destroy(link);
}
void BtfDeleter::operator()(btf *btf) const
{
    btf__free(btf);
}

} // namespace dmfilter
