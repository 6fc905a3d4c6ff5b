"""The OpenAPI 3 schema at /api/v1/schema/ is valid and lists every resource."""

import json

from drf_spectacular.drainage import GENERATOR_STATS
from openapi_spec_validator import validate
from rest_framework.test import APIClient

from samplan.core.models import Role


def test_schema_is_valid_and_complete(org, users):
    client = APIClient()
    client.force_login(users[Role.CASEWORKER])
    GENERATOR_STATS.reset()
    r = client.get("/api/v1/schema/", {"format": "json"})
    assert r.status_code == 200
    # No warnings or errors from drf-spectacular while generating.
    assert not GENERATOR_STATS._warn_cache and not GENERATOR_STATS._error_cache, (
        dict(GENERATOR_STATS._warn_cache),
        dict(GENERATOR_STATS._error_cache),
    )
    schema = json.loads(r.content)
    validate(schema)

    paths = schema["paths"]
    for resource in ("citizens", "inquiries", "assessments", "decisions", "grants", "orders", "follow-ups", "cases"):
        assert f"/api/v1/{resource}/" in paths, resource
        assert f"/api/v1/{resource}/{{id}}/" in paths, resource
    for action in (
        "citizens/{id}/reveal-cpr",
        "inquiries/{id}/first-contact",
        "assessments/{id}/conditions",
        "assessments/{id}/complete",
        "grants/{id}/change",
        "orders/{id}/accept",
        "follow-ups/{id}/complete",
    ):
        assert "post" in paths[f"/api/v1/{action}/"], action
    assert "/api/v1/terminology/concepts/" in paths
    assert "/api/v1/terminology/systems/" in paths
    assert "/api/v1/auth/token/" in paths
    for resource in ("citizens", "inquiries", "assessments", "decisions", "grants", "orders"):
        assert "post" in paths[f"/api/v1/{resource}/"], resource

    # The shared error shape is documented and used
    assert {"kode", "besked", "fejl", "fejlkoder"} <= set(schema["components"]["schemas"]["Error"]["properties"])
    assert paths["/api/v1/grants/"]["post"]["responses"]["400"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"
    }
    assert paths["/api/v1/orders/{id}/"]["get"]["responses"]["404"]
    assert '"fejl"' in schema["info"]["description"]

    # The full CPR number is write-only
    citizen = schema["components"]["schemas"]["Citizen"]["properties"]
    assert "cpr" not in citizen and "cpr_masked" in citizen
    assert "cpr" in schema["components"]["schemas"]["CitizenRequest"]["properties"]

    # Token and session auth are declared
    assert {"tokenAuth", "cookieAuth"} <= set(schema["components"]["securitySchemes"])


def test_schema_needs_login(db):
    assert APIClient().get("/api/v1/schema/").status_code == 401
