"""A school's provider may name the claims otherwise (Entra ID's app roles, a directory extension
for the department): CERTHUB_OIDC_CLAIMS renames them, dotted names read nested claims."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from certhub_kit.auth import DevIssuer, Principal, TokenVerifier, generate_dev_key
from certhub_kit.settings import ServiceSettings


def test_default_names_are_keycloaks():
    principal = Principal.from_claims(
        {
            "sub": "9b1d",
            "preferred_username": "s1100001",
            "name": "王小明",
            "roles": ["student", "unknown"],
            "dept": "IM",
            "class": "IM3A",
        }
    )
    assert (principal.sub, principal.name, principal.roles, principal.depts, principal.klass) == (
        "s1100001",
        "王小明",
        frozenset({"student"}),
        ("IM",),
        "IM3A",
    )


def test_renamed_and_nested_claims_are_read_where_the_school_says():
    names = {"username": "upn", "roles": "groups", "dept": "extn.department", "name": "display_name"}
    claims = {
        "sub": "f00d",
        "upn": "rev-im",
        "display_name": "林審核",
        "groups": "reviewer staff",
        "extn": {"department": ["IM"]},
        "roles": ["admin"],
    }
    principal = Principal.from_claims(claims, names)
    assert principal.sub == "rev-im" and principal.name == "林審核"
    assert principal.roles == frozenset({"reviewer"})  # the claim the school named, not `roles`
    assert principal.depts == ("IM",)


def test_the_verifier_applies_the_renaming():
    issuer = DevIssuer(generate_dev_key())
    token = issuer.issue({"sub": "x1", "upn": "center", "groups": ["center"], "exp": 4_000_000_000})
    principal = TokenVerifier(public_key=issuer.public_key, claim_names={"username": "upn", "roles": "groups"}).verify(
        token
    )
    assert principal.sub == "center" and principal.has("center")


def test_settings_refuse_renaming_a_part_that_does_not_exist():
    assert ServiceSettings(env="test", oidc_claims={"roles": "groups"}).oidc_claims == {"roles": "groups"}
    with pytest.raises(ValidationError, match="unknown parts"):
        ServiceSettings(env="test", oidc_claims={"role": "groups"})
