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
