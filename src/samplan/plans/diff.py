"""Compare two plan snapshots field by field (the diff page).

Returns a list of ``Change(section, item, field, before, after, words)``; long texts also
get a word-level diff (difflib) as a list of ``(op, text)`` with op in equal/delete/insert."""

import difflib
from dataclasses import dataclass, field

SECTIONS = [
    ("wishes", "Mit liv og mine ønsker"),
    ("next_meeting", "Næste møde"),
    ("goals", "Mål"),
    ("efforts", "Indsatser"),
    ("agreements", "Aftaler"),
    ("comments", "Kommentarer"),
    ("provider_items", "Pædagogisk plan"),
    ("status_notes", "Statusnotater"),
]
FIELD_LABELS = {
    "domain": "Livsområde",
    "citizen_wording": "Med egne ord",
    "intervention_goal": "Indsatsmål",
    "title": "Indsats",
    "owner_kind": "Hvem står for den",
    "owner_name": "Sted",
    "responsible": "Ansvarlig",
    "status": "Status",
    "start": "Start",
    "end": "Slut",
    "grant": "Bevilling",
    "who": "Hvem",
    "what": "Hvad",
    "due": "Hvornår",
    "responsible_is_citizen": "Borgerens egen aftale",
    "done": "Gjort",
    "target": "Til",
    "author": "Skrevet af",
    "text": "Tekst",
    "provider": "Tilbud",
    "kind": "Type",
    "written_with_citizen": "Skrevet sammen med borgeren",
    "follow_up": "Opfølgning",
    "offer": "Tilbud fra kataloget",
}
TITLE_FIELDS = ("citizen_wording", "title", "what", "text")
LONG_TEXT = 60


@dataclass
class Change:
    section: str
    item: str
    field: str
    before: str
    after: str
    words: list = field(default_factory=list)


def _show(value) -> str:
    if value is None or value == "":
        return ""
    if value is True:
        return "Ja"
    if value is False:
        return "Nej"
    return str(value)


def word_diff(before: str, after: str) -> list:
    a, b = before.split(), after.split()
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(("equal", " ".join(a[i1:i2])))
        else:
            if i2 > i1:
                out.append(("delete", " ".join(a[i1:i2])))
            if j2 > j1:
                out.append(("insert", " ".join(b[j1:j2])))
    return out


def _change(section, item, name, before, after) -> Change:
    before, after = _show(before), _show(after)
    words = word_diff(before, after) if max(len(before), len(after)) > LONG_TEXT and before and after else []
    return Change(section, item, FIELD_LABELS.get(name, name), before, after, words)


def _item_label(row: dict) -> str:
    for key in TITLE_FIELDS:
        if row.get(key):
            text = " ".join(str(row[key]).split())
            return text if len(text) <= 50 else text[:49] + "…"
    return f"#{row.get('id')}"


def compare(old: dict, new: dict) -> list[Change]:
    """Every field that differs between two snapshots, section by section."""
    old, new = old or {}, new or {}
    changes = []
    for key, label in SECTIONS:
        a, b = old.get(key), new.get(key)
        if not isinstance(a, list) and not isinstance(b, list):
            if _show(a) != _show(b):
                changes.append(_change(label, "", key, a, b))
            continue
        before = {row["id"]: row for row in a or []}
        after = {row["id"]: row for row in b or []}
        for pk in sorted(before.keys() | after.keys()):
            x, y = before.get(pk), after.get(pk)
            item = _item_label(y or x)
            if x is None:
                changes.extend(
                    _change(label, item, name, None, value) for name, value in y.items() if name != "id" and _show(value)
                )
                continue
            if y is None:
                changes.extend(
                    _change(label, item, name, value, None) for name, value in x.items() if name != "id" and _show(value)
                )
                continue
            for name in [n for n in y if n != "id"] + [n for n in x if n not in y]:
                if _show(x.get(name)) != _show(y.get(name)):
                    changes.append(_change(label, item, name, x.get(name), y.get(name)))
    return changes
