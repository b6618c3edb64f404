# Installs the Debian packages the project needs, only those that are missing.
# Sourced by scripts/demo and scripts/test; needs root or sudo when something is missing.

evidence_install_system_packages() {
  local need=()
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  pkg-config --exists libsodium 2>/dev/null || need+=(libsodium-dev pkg-config)
  pkg-config --exists libexif 2>/dev/null || need+=(libexif-dev pkg-config)
  pkg-config --exists libcrypto 2>/dev/null || need+=(libssl-dev pkg-config)
  # cairo and pango write dossier.pdf; DejaVu and Noto cover the scripts the dossier may hold (Arabic, Thai,
  # Ethiopic, Cyrillic, Vietnamese).
  pkg-config --exists pangocairo 2>/dev/null || need+=(libcairo2-dev libpango1.0-dev pkg-config)
  dpkg -s fonts-dejavu-core >/dev/null 2>&1 || need+=(fonts-dejavu-core)
  dpkg -s fonts-noto-core >/dev/null 2>&1 || need+=(fonts-noto-core)
  # openssl: the demo and the tests check an export by hand, as HOW-TO-VERIFY.txt tells an officer to.
  command -v openssl >/dev/null 2>&1 || need+=(openssl)
  # age and age-keygen: the demo seals a dossier for a recipient and opens it; the tests prove both-way interop.
  command -v age >/dev/null 2>&1 || need+=(age)
  if [ "${1:-}" = "--for-tests" ]; then
    command -v strace >/dev/null 2>&1 || need+=(strace)
    command -v flock >/dev/null 2>&1 || need+=(util-linux)
    command -v python3 >/dev/null 2>&1 || need+=(python3)
    # pdftotext, pdfinfo, pdfimages: the PDF dossier's tests read back what was written.
    command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
    # faketime: scripts/test-any-hour runs the suite at midnight and on the night the clocks go back.
    command -v faketime >/dev/null 2>&1 || need+=(faketime)
  fi
  if [ "${#need[@]}" -gt 0 ]; then
    echo "Installing missing system packages: ${need[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
  fi
  if [ "${1:-}" = "--for-tests" ]; then
    # jsonschema checks our JSON against Schemas/; pexpect drives the prompts on a real terminal.
    local module
    for module in jsonschema pexpect; do
      if ! python3 -c "import $module" 2>/dev/null; then
        echo "Installing the Python package $module (for the tests)"
        python3 -m pip install --quiet "$module" 2>/dev/null \
          || DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "python3-$module" >/dev/null
      fi
    done
  fi
}
