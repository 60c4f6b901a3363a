# kbuild_module(NAME SRCDIR [ALL]): build SRCDIR's Kbuild into
# ${CMAKE_CURRENT_BINARY_DIR}/NAME.ko against DMFILTER_KDIR (the target
# kernel's headers, never the running kernel). The sources are copied into
# the build tree so kbuild's objects stay out of the checkout. Defines the
# custom target kmod_NAME.
function(kbuild_module name srcdir)
  file(GLOB_RECURSE sources CONFIGURE_DEPENDS ${srcdir}/*.c ${srcdir}/*.h ${srcdir}/Kbuild)
  set(work ${CMAKE_CURRENT_BINARY_DIR}/src-${name})
  set(ko ${CMAKE_CURRENT_BINARY_DIR}/${name}.ko)
  add_custom_command(
    OUTPUT ${ko}
    COMMAND ${CMAKE_COMMAND} -E copy_directory ${srcdir} ${work}
    COMMAND ${CMAKE_COMMAND} -E remove -f ${work}/CMakeLists.txt
    COMMAND make -s -C ${DMFILTER_KDIR} M=${work} modules
    COMMAND ${CMAKE_COMMAND} -E copy ${work}/${name}.ko ${ko}
    DEPENDS ${sources}
    COMMENT "kbuild ${name}.ko for ${DMFILTER_KERNEL}"
    VERBATIM)
  add_custom_target(kmod_${name} ALL DEPENDS ${ko})
endfunction()

# upstream_module(NAME PATH): build PATH (e.g. drivers/md/dm-dust.c) of the
# target kernel's own source, from Debian's linux-source-X.Y tarball, into
# ${CMAKE_CURRENT_BINARY_DIR}/NAME.ko. For modules Debian's kernel does not
# ship that the tests compare against (dm-dust). The file is taken out of
# the tarball once, at configure time; then it is a kbuild_module.
function(upstream_module name path)
  string(REGEX MATCH "^[0-9]+\\.[0-9]+" series ${DMFILTER_KERNEL})
  set(tarball /usr/src/linux-source-${series}.tar.xz)
  set(src ${CMAKE_CURRENT_BINARY_DIR}/upstream-${name})
  if(NOT EXISTS ${src}/${name}.c)
    if(NOT EXISTS ${tarball})
      message(FATAL_ERROR "no ${tarball} to build ${name}.ko from\n"
                          "hint: install linux-source-${series} (scripts/deps does)")
    endif()
    message(STATUS "dmfilter: taking ${path} out of ${tarball}")
    execute_process(COMMAND tar -xJf ${tarball} -C ${CMAKE_CURRENT_BINARY_DIR}
                            linux-source-${series}/${path}
                    RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "tar could not take ${path} out of ${tarball}")
    endif()
    file(MAKE_DIRECTORY ${src})
    file(COPY_FILE ${CMAKE_CURRENT_BINARY_DIR}/linux-source-${series}/${path} ${src}/${name}.c)
    file(WRITE ${src}/Kbuild "obj-m := ${name}.o\n")
  endif()
  kbuild_module(${name} ${src})
endfunction()
