"""The project's papers: LICENSE, the licence in pyproject.toml and publiccode.yml.

publiccode.yml is checked against the mandatory keys and controlled vocabularies of the
publiccode.yml standard, version 0.4, and must agree with pyproject.toml on licence and
version, so a release cannot update one and forget the other."""

import datetime as dt
import hashlib
import re
import tomllib
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent

# The MPL 2.0 text byte for byte as Mozilla distributes it (the same file as Debian's
# /usr/share/common-licenses/MPL-2.0), so a retyped or reflowed copy is caught.
MPL_2_0_SHA256 = "fab3dd6bdab226f1c08630b1dd917e11fcb4ec5e1e020e2c16f83a0a13863e85"

# publiccode.yml 0.4: mandatory top-level keys and, below them, mandatory keys per section.
REQUIRED_TOP_LEVEL = {
    "publiccodeYmlVersion",
    "name",
    "url",
    "platforms",
    "categories",
    "developmentStatus",
    "softwareType",
    "description",
    "legal",
    "maintenance",
    "localisation",
}
# Samplan's public repository is not published yet; publiccode.yml says what to set. Until
# then url is the one mandatory key that may be missing (and must be real once present).
NOT_YET_PUBLISHED = {"url"}
DEVELOPMENT_STATUSES = {"concept", "development", "beta", "stable", "obsolete"}
SOFTWARE_TYPES = {
    "standalone/mobile",
    "standalone/iot",
    "standalone/desktop",
    "standalone/web",
    "standalone/backend",
    "standalone/other",
    "addon",
    "library",
    "configurationFiles",
}
MAINTENANCE_TYPES = {"internal", "contract", "community", "none"}
# The standard's controlled vocabularies (categories-list and scope-list).
CATEGORIES = set(
    """accounting agile-project-management applicant-tracking application-development
    appointment-scheduling backup billing-and-invoicing blog budgeting business-intelligence
    business-process-management cad call-center-management cloud-management collaboration
    communications compliance-management contact-management content-management crm
    customer-service-and-support data-analytics data-collection data-visualization design
    design-system digital-asset-management digital-citizenship document-management
    donor-management e-commerce e-signature educational-content email-management
    email-marketing employee-management enterprise-project-management
    enterprise-social-networking erp event-management facility-management
    feedback-and-reviews-management financial-reporting fleet-management fundraising
    gamification geographic-information-systems grant-management graphic-design help-desk hr
    ide identity-management instant-messaging inventory-management it-asset-management
    it-development it-management it-security it-service-management knowledge-management
    learning-management-system marketing mind-mapping mobile-marketing mobile-payment
    network-management office online-booking online-community payment-gateway payroll
    predictive-analysis procurement productivity-suite project-collaboration
    project-management property-management real-estate-management remote-support
    resource-management sales-management seo service-desk social-media-management survey
    talent-management task-management taxes-management test-management time-management
    time-tracking translation video-conferencing video-editing visitor-management voip
    warehouse-management web-collaboration web-conferencing website-builder whistleblowing
    workflow-management""".split()
)
SCOPES = set(
    """agriculture culture defence education emergency-services employment energy environment
    finance-and-economic-development foreign-affairs healthcare infrastructures justice
    local-authorities manufacturing research science-and-technology security society sport
    tourism transportation welfare""".split()
)


@pytest.fixture(scope="module")
def project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


@pytest.fixture(scope="module")
def publiccode() -> dict:
    data = yaml.safe_load((ROOT / "publiccode.yml").read_text(encoding="utf-8"))
    assert isinstance(data, dict), "publiccode.yml must be a YAML mapping"
    return data


# --- LICENSE and pyproject.toml ----------------------------------------------------------


def test_license_is_the_official_mpl_2_0_text():
    text = (ROOT / "LICENSE").read_bytes()
    assert text.startswith(b"Mozilla Public License Version 2.0\n")
    assert hashlib.sha256(text).hexdigest() == MPL_2_0_SHA256, "LICENSE differs from the official MPL 2.0 text"


def test_pyproject_declares_mpl_2_0_with_the_license_file(project):
    assert project["license"] == "MPL-2.0"
    assert project["license-files"] == ["LICENSE"]
    # PEP 639: licence classifiers may not be combined with an SPDX expression.
    assert not [c for c in project.get("classifiers", []) if c.startswith("License ::")]


# --- publiccode.yml -----------------------------------------------------------------------


def test_publiccode_has_the_mandatory_keys_of_version_0_4(publiccode):
    assert publiccode["publiccodeYmlVersion"] == "0.4"
    missing = REQUIRED_TOP_LEVEL - publiccode.keys()
    assert missing <= NOT_YET_PUBLISHED, f"publiccode.yml lacks mandatory keys: {sorted(missing)}"
    assert publiccode["name"] == "Samplan"
    assert publiccode["platforms"] == ["web"]
    assert publiccode["developmentStatus"] in DEVELOPMENT_STATUSES
    assert publiccode["softwareType"] in SOFTWARE_TYPES


def test_publiccode_url_when_present_is_a_real_https_address(publiccode):
    if "url" not in publiccode:
        pytest.skip("the public repository is not published yet (see the comment in publiccode.yml)")
    url = urlparse(publiccode["url"])
    assert url.scheme == "https" and url.netloc
    assert not re.search(r"(^|\.)(example\.(com|org|net)|localhost)$", url.hostname or ""), "a placeholder address"
    assert "<" not in publiccode["url"]


def test_publiccode_licence_and_version_match_pyproject(publiccode, project):
    assert publiccode["legal"]["license"] == project["license"]
    assert publiccode["softwareVersion"] == project["version"]
    released = dt.date.fromisoformat(publiccode["releaseDate"])  # a quoted YYYY-MM-DD string
    assert released.isoformat() == publiccode["releaseDate"]


def test_publiccode_vocabularies(publiccode):
    assert publiccode["categories"], "at least one category"
    assert set(publiccode["categories"]) <= CATEGORIES, set(publiccode["categories"]) - CATEGORIES
    audience = publiccode["intendedAudience"]
    assert audience["countries"] == ["dk"]
    assert set(audience["scope"]) <= SCOPES, set(audience["scope"]) - SCOPES


@pytest.mark.parametrize("language", ["da", "en"])
def test_publiccode_description_in_danish_and_english(publiccode, language):
    description = publiccode["description"][language]
    assert 0 < len(description["shortDescription"]) <= 150
    assert "\n" not in description["shortDescription"]
    assert 150 <= len(description["longDescription"]) <= 10000
    features = description["features"]
    assert features and all(isinstance(f, str) and f.strip() for f in features)


def test_publiccode_maintenance_localisation_and_dependencies(publiccode, project):
    maintenance = publiccode["maintenance"]
    assert maintenance["type"] in MAINTENANCE_TYPES
    if maintenance["type"] in {"internal", "community"}:
        assert maintenance["contacts"] and all(c.get("name") for c in maintenance["contacts"])
    localisation = publiccode["localisation"]
    assert isinstance(localisation["localisationReady"], bool)
    assert "da" in localisation["availableLanguages"]
    dependencies = {d["name"]: d for d in publiccode["dependsOn"]["open"]}
    assert dependencies["PostgreSQL"] == {"name": "PostgreSQL", "versionMin": "15", "optional": True}
    assert dependencies["SQLite"]["optional"] is True
    assert dependencies["Python"]["versionMin"] == project["requires-python"].removeprefix(">=")
    assert all(isinstance(v, str) for d in dependencies.values() for k, v in d.items() if k.startswith("version"))
