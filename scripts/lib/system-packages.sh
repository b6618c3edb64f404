# Installs the Debian packages the project needs, only those that are missing.
# Sourced by scripts/demo and scripts/test; needs root or sudo when something is missing.

evidence_install_system_packages() {
  local need=()
  pkg-config --exists libsodium 2>/dev/null || need+=(libsodium-dev pkg-config)
  if [ "${1:-}" = "--for-tests" ]; then
    command -v strace >/dev/null 2>&1 || need+=(strace)
    command -v flock >/dev/null 2>&1 || need+=(util-linux)
    command -v python3 >/dev/null 2>&1 || need+=(python3)
  fi
  if [ "${#need[@]}" -gt 0 ]; then
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "Installing missing system packages: ${need[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
  fi
  if [ "${1:-}" = "--for-tests" ] && ! python3 -c "import jsonschema" 2>/dev/null; then
    echo "Installing the Python jsonschema package (the tests check our JSON against Schemas/ with it)"
    python3 -m pip install --quiet jsonschema 2>/dev/null \
      || { ${sudo:-} apt-get install -y -qq python3-jsonschema >/dev/null; }
  fi
}
