# Shared by scripts/run, scripts/test and scripts/install: install missing Debian packages.
# Sourced, not run.

# ensure_packages PKG...: apt-get install the packages that are not installed yet.
ensure_packages() {
    local missing=()
    local pkg
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "==> installing Debian packages: ${missing[*]}"
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || { echo "need root (or sudo) to install: ${missing[*]}" >&2; return 1; }
        sudo="sudo"
    fi
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Libraries the build links (libcurl, libsystemd, SQLite) and pkg-config to find them.
BUILD_PACKAGES=(libcurl4-openssl-dev libsystemd-dev libsqlite3-dev pkg-config)
# The release build every script shares (scripts/package, scripts/install, scripts/bench): the Swift
# runtime linked in, bound at start (-z now). One set of flags, so one build serves all of them and
# the benchmarks measure the binaries the package ships.
RELEASE_FLAGS=(-c release --static-swift-stdlib -Xlinker -z -Xlinker now)

require_swift() {
    command -v swift >/dev/null || { echo "swift is not on PATH (install the Swift 6 toolchain first)" >&2; exit 1; }
}

# ensure_python_sink: a virtualenv in .build/python with aiosmtpd (the tests' real SMTP server) and
# jsonschema (the webhook stand-in checks outbound events against Config/schemas/events).
# Debian 12's python3 is "externally managed", so nothing is installed into the system's.
PYTHON_ENV=".build/python"
ensure_python_sink() {
    if [ -x "$PYTHON_ENV/bin/python3" ] && "$PYTHON_ENV/bin/python3" -c "import aiosmtpd, jsonschema" 2>/dev/null; then return 0; fi
    command -v python3 >/dev/null || ensure_packages python3
    python3 -c "import venv, ensurepip" 2>/dev/null || ensure_packages python3-venv
    echo "==> installing aiosmtpd and jsonschema into $PYTHON_ENV"
    [ -x "$PYTHON_ENV/bin/python3" ] || python3 -m venv "$PYTHON_ENV"
    "$PYTHON_ENV/bin/python3" -m pip install --quiet --disable-pip-version-check "aiosmtpd==1.4.6" "jsonschema==4.23.0"
}

# ensure_browser_tests: Debian's Chromium with its chromedriver and CJK fonts (never a downloaded
# browser), and in .build/python Selenium (4.51.0: 4.52.0 wants a newer certifi than PyPI serves
# here) and axe-core-python (0.1.0, bundles axe-core 4.4.3, MIT) for the console's browser test.
ensure_browser_tests() {
    ensure_python_sink
    [ -x /usr/lib/chromium/chromium ] && [ -x /usr/bin/chromedriver ] && fc-list 2>/dev/null | grep -qi "Noto Sans CJK" \
        || ensure_packages chromium chromium-driver fonts-noto-cjk
    if ! "$PYTHON_ENV/bin/python3" -c "import selenium, axe_core_python" 2>/dev/null; then
        echo "==> installing selenium and axe-core-python into $PYTHON_ENV"
        "$PYTHON_ENV/bin/python3" -m pip install --quiet --disable-pip-version-check "selenium==4.51.0" "axe-core-python==0.1.0"
    fi
}

# ensure_smtp_sink: Postfix's smtp-sink (C), the benchmarks' second SMTP sink. Debian ships it in
# the postfix package; preseeded "No configuration", installing it configures and starts no MTA.
ensure_smtp_sink() {
    [ -x /usr/sbin/smtp-sink ] && return 0
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    echo "postfix postfix/main_mailer_type select No configuration" | $sudo debconf-set-selections
    ensure_packages postfix
}
