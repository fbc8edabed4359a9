#!/usr/bin/env bash
# Installs the system packages some tests need, when they are missing and we can:
# Java 17 (Spark) and Chromium (browser test). Without them those tests are skipped.
set -u
need=()
command -v java >/dev/null 2>&1 || need+=(openjdk-17-jre-headless)
[ -x /usr/bin/chromium ] || need+=(chromium)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing ${need[*]} from Debian"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}") >/dev/null 2>&1 \
    || echo "could not install ${need[*]}; the tests that need them will be skipped"
else
  echo "missing ${need[*]} (run as root with apt-get to install); those tests will be skipped"
fi
exit 0
