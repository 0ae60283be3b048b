"""The configuration reference: the loader's key table (`leadctl config keys --json` over
Config/every-key*.toml) joined with the meanings in README.md's "Configuration reference" table.

Used by scripts/lib/config-manpage (leadrouter.toml(5)) and by scripts/lib/config-reference-check
(the test that the two name the same keys). README rows name keys as `http.listen`,
`[[rep]]` `weight`, `[[sla.escalation]]` `clock`, `[lifecycle]` `statuses`, `[maildrop.labels]`,
`[[rule]]` criteria; the key table as http.listen, rep[].weight, sla[].escalation[].clock,
lifecycle.statuses, maildrop[].labels.*, rule[].*.
"""
import json
import os
import re
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
REFERENCE_FILES = ["Config/every-key.toml", "Config/every-key-postgresql.toml"]

# Tables that are arrays of tables ([[name]]) — their keys sit under name[].
ARRAYS = {"rep", "team", "rule", "calendar", "sla", "sla.escalation", "lifecycle.transition", "lifecycle.field",
          "maildrop", "webhook", "channel"}
# Tables whose own keys are data: a README row naming the table means its `*`.
DATA_TABLES = {"regions", "maildrop.labels", "webhook.fields", "lifecycle.require", "calendar.hours"}


def pattern(table, key=None):
    """`sla.escalation` + `clock` -> sla[].escalation[].clock."""
    parts = table.split(".") if table else []
    out = []
    for i, part in enumerate(parts):
        out.append(part + ("[]" if ".".join(parts[: i + 1]) in ARRAYS else ""))
    if key is None:
        return ".".join(out + (["*"] if table in DATA_TABLES else []))
    return ".".join(out + [key])


def readme_rows(readme_path=os.path.join(ROOT, "README.md")):
    """[(keys, type, default, meaning)] from the Configuration reference table."""
    text = open(readme_path, encoding="utf-8").read()
    section = text.split("\n## Configuration reference\n", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        if not line.startswith("| `") and not line.startswith("| [") :
            continue
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]
        if len(cells) != 4:
            continue
        rows.append((row_keys(cells[0]), cells[1], cells[2], cells[3]))
    return rows


def row_keys(cell):
    """The key patterns a README row's first cell names: `a.b`; `[[t]]` `k`, `k2` (names after a
    table marker are its keys); `[t]` alone (the table, or its data keys); `[[t]]` criteria."""
    keys = []
    table, named = None, True
    for quoted, word in re.findall(r"`([^`]+)`|\b(criteria)\b", cell):
        marker = re.fullmatch(r"\[\[?([a-z_.]+)\]\]?", quoted) if quoted else None
        if marker:
            if not named:
                keys.append(pattern(table))
            table, named = marker.group(1), False
        elif word:
            keys.append(pattern(table) + ".*")
            named = True
        else:
            keys.append(pattern(table, quoted) if table else quoted)
            named = True
    if not named:
        keys.append(pattern(table))
    return keys


def key_table(leadctl):
    """{pattern: {type, default, required}} over the reference files."""
    table = {}
    for name in REFERENCE_FILES:
        out = subprocess.run([leadctl, "--config", os.path.join(ROOT, name), "config", "keys", "--json"],
                             check=True, capture_output=True, text=True).stdout
        for row in json.loads(out):
            known = table.setdefault(row["key"], row)
            if not known["type"] and row["type"]:
                known["type"] = row["type"]
    return table


def is_table(info):
    return info["type"].startswith("a table") or info["type"].startswith("an array of tables")


def documented_row(key, rows_by_key, table):
    """The README keys that document `key`: itself; for a key inside an inline table value
    (`sla[].follow_ups.count`) or under a data key (`rule[].*.prefix`), the documented key it sits in."""
    parts = key.split(".")
    for n in range(len(parts), 0, -1):
        prefix = ".".join(parts[:n])
        if prefix in rows_by_key and (n == len(parts) or prefix.endswith("*") or "[]" in prefix or "." in prefix):
            return prefix
    return None


def differences(leadctl):
    """(undocumented keys the loader reads, documented keys the loader does not read)."""
    table = key_table(leadctl)
    rows = readme_rows()
    documented = {k for keys, _, _, _ in rows for k in keys}
    undocumented = sorted(k for k, info in table.items() if not is_table(info) and documented_row(k, documented, table) is None)
    unknown = sorted(k for k in documented if k not in table)
    return undocumented, unknown
