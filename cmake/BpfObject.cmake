# bpf_object(NAME SOURCE [DEPENDS ...]): compile a BPF C file into
# ${CMAKE_BINARY_DIR}/filters/NAME.bpf.o with clang-19, against the
# committed vmlinux.h and the SDK in bpf/. Adds target bpf_NAME.
find_program(BPF_CLANG NAMES clang-19 REQUIRED)
set(BPF_OUTPUT_DIR ${CMAKE_BINARY_DIR}/filters)
set(BPF_CFLAGS -g -O2 -target bpf -D__TARGET_ARCH_x86 -Wall -Werror
    -I${CMAKE_SOURCE_DIR} -I${CMAKE_SOURCE_DIR}/bpf)

function(bpf_object name source)
  cmake_parse_arguments(ARG "" "" "DEPENDS" ${ARGN})
  set(out ${BPF_OUTPUT_DIR}/${name}.bpf.o)
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${BPF_OUTPUT_DIR}
    COMMAND ${BPF_CLANG} ${BPF_CFLAGS} -c ${source} -o ${out}
    DEPENDS ${source} ${CMAKE_SOURCE_DIR}/bpf/dmfilter.bpf.h
            ${CMAKE_SOURCE_DIR}/vmlinux.h ${CMAKE_SOURCE_DIR}/kmod/uapi/dmfilter.h ${ARG_DEPENDS}
    COMMENT "BPF ${name}.bpf.o"
    VERBATIM)
  add_custom_target(bpf_${name} ALL DEPENDS ${out})
endfunction()
