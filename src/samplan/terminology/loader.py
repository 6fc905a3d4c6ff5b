"""Load a FHIR CodeSystem JSON file into CodeSystem/Concept rows.

Idempotent: an (url, version) pair that is already loaded is left untouched, so loading
twice changes nothing, and a newer version is loaded beside the old one."""

import json
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

DATA_DIR = Path(__file__).resolve().parent / "data"
FFB_FILE = DATA_DIR / "CodeSystem-FFB.json"


@dataclass
class LoadResult:
    system_id: int
    created: bool
    concepts: int


def load_code_system(path: Path | str = FFB_FILE, *, apps=None) -> LoadResult:
    """Load ``path``; ``apps`` lets a data migration pass its historical registry."""
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    CodeSystem = apps.get_model("terminology", "CodeSystem")
    Concept = apps.get_model("terminology", "Concept")
    resource = json.loads(Path(path).read_text(encoding="utf-8"))
    if resource.get("resourceType") != "CodeSystem":
        raise ValueError(f"{path} er ikke et FHIR CodeSystem")

    with transaction.atomic():
        system, created = CodeSystem.objects.get_or_create(
            url=resource["url"],
            version=resource["version"],
            defaults={"name": resource.get("name", ""), "title": resource.get("title", "")},
        )
        if not created:
            return LoadResult(system.id, False, system.concepts.count())

        count = 0

        def walk(nodes, parent, parent_path, parent_sort, depth):
            nonlocal count
            for node in nodes:
                path = f"{parent_path}/{node['code']}" if parent_path else node["code"]
                sort_key = f"{parent_sort}/{node['display'].lower()}" if parent_sort else node["display"].lower()
                concept = Concept.objects.create(
                    system=system,
                    code=node["code"],
                    display=node["display"],
                    definition=node.get("definition", ""),
                    parent=parent,
                    path=path,
                    depth=depth,
                    sort_key=sort_key,
                )
                count += 1
                walk(node.get("concept", []), concept, path, sort_key, depth + 1)

        walk(resource.get("concept", []), None, "", "", 0)
    return LoadResult(system.id, True, count)
