# Shared by scripts/demo, scripts/test and scripts/bench: installs the Debian
# packages the build needs (through sudo when not root) and configures and
# builds a preset. Source it; do not run it.

PUNDIT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

# Debian 12 packages needed to build and test Pundit (universal-ctags measures
# the functions of core for the structure.function_length test).
PUNDIT_PACKAGES=(
  cmake g++ make pkg-config
  libxapian-dev xapian-tools libicu-dev libcli11-dev doctest-dev
  nlohmann-json3-dev libxxhash-dev universal-ctags
)

log() { printf '%s: %s\n' "$(basename "$0")" "$*" >&2; }

# Installs whichever of the given packages are missing.
install_packages() {
  local missing=()
  local pkg
  for pkg in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$pkg")
    fi
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing ${missing[*]}"
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null; then
      log "error: missing packages (${missing[*]}) and no sudo; install them as root"
      exit 2
    fi
    sudo=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Configures and builds one CMake preset (release, debug, asan).
build_preset() {
  local preset="$1"
  cmake --preset "$preset" -S "$PUNDIT_ROOT" >/dev/null
  cmake --build "$PUNDIT_ROOT/build/$preset" -j "$(nproc)"
}
