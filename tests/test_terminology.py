"""FFB loading: idempotent, versions side by side, hierarchy kept, and the load_ffb command."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from samplan.terminology import ffb
from samplan.terminology.loader import FFB_FILE, load_code_system
from samplan.terminology.models import CodeSystem, Concept

pytestmark = pytest.mark.django_db

BUNDLED_VERSION = "20240530"
NEW_VERSION = "20250101"


def counts():
    return CodeSystem.objects.count(), Concept.objects.count()


def rename(nodes, old, new):
    for node in nodes:
        if node["display"] == old:
            node["display"] = new
            return True
        if rename(node.get("concept", []), old, new):
            return True
    return False


@pytest.fixture
def new_version_file(tmp_path):
    """A copy of the bundled file as version 20250101 with one display text changed."""
    resource = json.loads(FFB_FILE.read_text(encoding="utf-8"))
    resource["version"] = NEW_VERSION
    assert rename(resource["concept"], "Drikke", "Drikke og spise væske")
    path = tmp_path / "CodeSystem-FFB-20250101.json"
    path.write_text(json.dumps(resource, ensure_ascii=False), encoding="utf-8")
    return path


def test_migration_loaded_bundled_version():
    system = ffb.current_system()
    assert system.version == BUNDLED_VERSION
    assert system.concepts.count() > 200


def test_loading_twice_changes_nothing():
    before = counts()
    first = load_code_system()
    second = load_code_system()
    assert not first.created and not second.created
    assert first.concepts == second.concepts == ffb.current_system().concepts.count()
    assert counts() == before


def test_new_version_loads_beside_the_old(new_version_file):
    old = ffb.current_system()
    old_concepts = {c.code: (c.display, c.path, c.parent_id) for c in old.concepts.all()}

    result = load_code_system(new_version_file)

    assert result.created
    assert CodeSystem.objects.filter(url=ffb.FFB_URL).count() == 2
    assert result.concepts == len(old_concepts)
    # The old version is untouched.
    assert {c.code: (c.display, c.path, c.parent_id) for c in old.concepts.all()} == old_concepts
    assert old.concepts.get(display="Drikke")
    # New records use the newest version.
    current = ffb.current_system()
    assert current.pk == result.system_id and current.version == NEW_VERSION
    drink = current.concepts.get(display="Drikke og spise væske")
    assert not current.concepts.filter(display="Drikke").exists()
    assert old.concepts.get(code=drink.code).display == "Drikke"
    # Branch lookups follow the current version.
    assert ffb.root(ffb.ACTIVITY_PARTICIPATION).system_id == current.pk
    # Loading the new version again changes nothing either.
    before = counts()
    assert not load_code_system(new_version_file).created
    assert counts() == before


def test_hierarchy_is_kept():
    system = ffb.current_system()
    drink = system.concepts.get(display="Drikke")
    self_care = drink.parent
    activity = self_care.parent
    assert self_care.display == "Egenomsorg"
    assert activity.display == "Aktivitet og deltagelse"
    assert activity.code == ffb.ACTIVITY_PARTICIPATION
    assert activity.parent.code == ffb.CONDITIONS
    assert (activity.depth, self_care.depth, drink.depth) == (1, 2, 3)
    assert drink.path == f"{activity.parent.code}/{activity.code}/{self_care.code}/{drink.code}"
    assert drink.is_within(activity) and drink.is_within(self_care)
    assert not self_care.is_within(drink)
    assert ffb.is_activity_participation(drink)
    assert ffb.branch(ffb.ACTIVITY_PARTICIPATION).filter(pk=drink.pk).exists()
    assert not ffb.branch(ffb.ACTIVITY_PARTICIPATION, leaves_only=True).filter(pk=self_care.pk).exists()


def test_command_reports_already_loaded():
    out = StringIO()
    before = counts()
    call_command("load_ffb", stdout=out)
    assert f"version {BUNDLED_VERSION} er allerede indlæst" in out.getvalue()
    assert counts() == before


def test_command_loads_new_version(new_version_file):
    out = StringIO()
    call_command("load_ffb", str(new_version_file), stdout=out)
    concepts = ffb.current_system().concepts.count()
    assert f"Indlæste {concepts} begreber fra FFB version {NEW_VERSION}." in out.getvalue()
    assert ffb.current_system().version == NEW_VERSION


def test_command_rejects_missing_and_invalid_files(tmp_path):
    with pytest.raises(CommandError, match="findes ikke"):
        call_command("load_ffb", str(tmp_path / "mangler.json"))
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"resourceType": "ValueSet"}), encoding="utf-8")
    with pytest.raises(CommandError, match="ikke et FHIR CodeSystem"):
        call_command("load_ffb", str(bad))
    assert CodeSystem.objects.count() == 1
