# `cmake --install` and `cpack -G DEB` (issue 12): the binary, the systemd units, sample
# configuration, the logrotate snippet, man pages and bash completion, each in its FHS place.
# Configuration goes to /etc/pptpx whatever the prefix (the binary and the units look there);
# stage an install with DESTDIR=... . Build the package with -DCMAKE_INSTALL_PREFIX=/usr.
include(GNUInstallDirs)

# `install` and cpack build only what they install (pptpx), not every test binary.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)

set(_dist "${CMAKE_SOURCE_DIR}/dist")
set(_conf "/etc/pptpx")

install(TARGETS pptpx RUNTIME DESTINATION "${CMAKE_INSTALL_SBINDIR}")

# The units name the binary by its installed path, known only at install time (cpack installs
# under CPACK_PACKAGING_INSTALL_PREFIX): generated then.
install(CODE "
  set(PPTPX_BIN \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_SBINDIR}/pptpx\")
  foreach(unit pptpx-server.service pptpx-client@.service)
    configure_file(\"${_dist}/systemd/\${unit}.in\" \"${CMAKE_BINARY_DIR}/dist/\${unit}\" @ONLY)
  endforeach()")
install(FILES "${CMAKE_BINARY_DIR}/dist/pptpx-server.service" "${CMAKE_BINARY_DIR}/dist/pptpx-client@.service"
        DESTINATION "lib/systemd/system")

install(FILES "${_dist}/config/server.toml" DESTINATION "${_conf}")
install(FILES "${_dist}/config/chap-secrets" DESTINATION "${_conf}" PERMISSIONS OWNER_READ OWNER_WRITE)
install(FILES "${_dist}/config/client.toml" DESTINATION "${_conf}/client" RENAME "example.toml.sample")
install(FILES "${_dist}/config/server.toml" "${_dist}/config/chap-secrets" "${_dist}/config/client.toml"
        DESTINATION "${CMAKE_INSTALL_DOCDIR}/examples")
set(_conffiles "${_conf}/server.toml\n${_conf}/chap-secrets\n${_conf}/client/example.toml.sample\n")
# The accounting log's logrotate snippet, where the tree has one (dist/logrotate/pptpx).
if(EXISTS "${_dist}/logrotate/pptpx")
  install(FILES "${_dist}/logrotate/pptpx" DESTINATION "/etc/logrotate.d")
  string(APPEND _conffiles "/etc/logrotate.d/pptpx\n")
endif()

install(FILES "${_dist}/man/pptpx.8" DESTINATION "${CMAKE_INSTALL_MANDIR}/man8")
install(FILES "${_dist}/man/pptpx-server.toml.5" DESTINATION "${CMAKE_INSTALL_MANDIR}/man5")
install(FILES "${_dist}/bash-completion/pptpx" DESTINATION "${CMAKE_INSTALL_DATADIR}/bash-completion/completions")
install(FILES README.md docs/server.md docs/client.md DESTINATION "${CMAKE_INSTALL_DOCDIR}")

# ---- cpack -G DEB ----
file(WRITE "${CMAKE_BINARY_DIR}/dist/conffiles" "${_conffiles}")
set(CPACK_PACKAGE_NAME "pptpx")
set(CPACK_PACKAGE_VENDOR "pptpx")
set(CPACK_PACKAGE_CONTACT "pptpx maintainers <pptpx@example.org>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "user-space PPTP VPN server and client (RFC 2637, MS-CHAPv2, MPPE)")
set(CPACK_PACKAGING_INSTALL_PREFIX "${CMAKE_INSTALL_PREFIX}")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION "net")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)  # Depends: from the binary's libraries (dpkg-shlibdeps)
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA "${CMAKE_BINARY_DIR}/dist/conffiles")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
