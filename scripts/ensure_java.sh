#!/usr/bin/env bash
# Java 17 for the Spark build (pyspark 4 needs Java 17 or later). Installs Debian's headless JRE when no java is
# found, the way the dashboard test installs Chromium; fails with the reason when that is impossible.
set -euo pipefail

java_major() {
  "$1" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1
}

if command -v java >/dev/null 2>&1 && [ "$(java_major java)" -ge 17 ] 2>/dev/null; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "Java 17+ is missing and there is no apt-get to install it: install a JRE 17 and put java on PATH" >&2
  exit 1
fi
echo "installing openjdk-17-jre-headless (Java for the Spark build)"
export DEBIAN_FRONTEND=noninteractive
sudo_cmd=""
[ "$(id -u)" = 0 ] || sudo_cmd="sudo"
$sudo_cmd apt-get update -qq
$sudo_cmd apt-get install -y -qq openjdk-17-jre-headless >/dev/null
java -version
