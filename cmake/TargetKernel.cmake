# The kernel dmfilter is built for. Never the build machine's running kernel:
# by default the newest installed Debian 6.12 package with headers.
set(DMFILTER_KERNEL "" CACHE STRING "Target kernel release (default: newest installed 6.12 with headers)")
if(NOT DMFILTER_KERNEL)
  file(GLOB _kdirs LIST_DIRECTORIES true /lib/modules/6.12.*/build)
  list(SORT _kdirs COMPARE NATURAL ORDER DESCENDING)
  list(LENGTH _kdirs _n)
  if(_n EQUAL 0)
    message(FATAL_ERROR "no /lib/modules/6.12.*/build: the 6.12 kernel headers are not installed\n"
                        "hint: run scripts/deps")
  endif()
  list(GET _kdirs 0 _kdir)
  get_filename_component(_kv ${_kdir} DIRECTORY)
  get_filename_component(DMFILTER_KERNEL ${_kv} NAME)
  set(DMFILTER_KERNEL ${DMFILTER_KERNEL} CACHE STRING "" FORCE)
endif()
set(DMFILTER_KDIR /lib/modules/${DMFILTER_KERNEL}/build CACHE PATH "kbuild tree of the target kernel")
if(NOT EXISTS ${DMFILTER_KDIR}/Makefile)
  message(FATAL_ERROR "no kbuild tree at ${DMFILTER_KDIR} for kernel ${DMFILTER_KERNEL}\n"
                      "hint: install linux-headers-${DMFILTER_KERNEL} (scripts/deps does)")
endif()
message(STATUS "dmfilter: target kernel ${DMFILTER_KERNEL} (${DMFILTER_KDIR})")
