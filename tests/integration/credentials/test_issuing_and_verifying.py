"""Approved certificates get a signed credential that anyone can verify, and revocation shows."""

from __future__ import annotations

import uuid

from tests.support import independent_verifier
from tests.support.apps import Clients

from .support import change


async def test_an_approved_certificate_gets_a_credential_that_verifies_then_revoked(
    credentials_app, runtime, publisher, issuer
):
    cid = uuid.uuid4()
    await change(publisher, runtime, cid, "submitted", "verifying", 2)
    await change(publisher, runtime, cid, "verifying", "approved", 3)
    clients = Clients(credentials_app, issuer)
    async with (
        clients.as_user("s1100001") as student,
        clients.anonymous() as anyone,
        clients.as_user("center") as centre,
    ):
        listed = (await student.get("/api/credentials", params={"certificate_id": str(cid)})).json()
        assert len(listed) == 1 and listed[0]["state"] == "active"
        public_id = listed[0]["id"]
        document = (await student.get(f"/api/credentials/{public_id}/credential")).json()
        assert "職涯發展與輔導組" in document["evidence"][0]["narrative"]
        assert "s1100001" not in str(document)
        outcome = await independent_verifier.verify(anyone, document)
        assert outcome.valid, outcome
        answer = (await anyone.get(f"/api/verify/{public_id}")).json()
        assert answer["valid"] and answer["state"] == "active" and answer["holder"] == "王○明"
        assert all(check["ok"] for check in answer["checks"].values())

        refused = await student.post(f"/api/credentials/{public_id}/revoke", json={"reason": "x"})
        assert refused.status_code == 403
        revoked = await centre.post(f"/api/credentials/{public_id}/revoke", json={"reason": "證照遭註銷 / cancelled"})
        assert revoked.status_code == 200, revoked.text
        assert (await centre.post(f"/api/credentials/{public_id}/revoke", json={"reason": "again"})).status_code == 409

        outcome = await independent_verifier.verify(anyone, document)
        assert outcome.signature and outcome.status_list and outcome.revoked and not outcome.valid
        answer = (await anyone.get(f"/api/verify/{public_id}")).json()
        assert not answer["valid"] and answer["state"] == "revoked"
        assert answer["revoked_reason"] == "證照遭註銷 / cancelled" and answer["verifications"] == 2
        page = await anyone.get(f"/verify/{public_id}")
        assert page.status_code == 200 and "已撤銷" in page.text and "證照遭註銷" in page.text
        assert "<script" not in page.text and "script-src" not in page.headers["content-security-policy"]


async def test_repeated_and_stale_events_issue_one_credential(credentials_app, runtime, publisher, issuer):
    cid = uuid.uuid4()
    await change(publisher, runtime, cid, "submitted", "credit_pending", 3)
    await change(publisher, runtime, cid, "credit_pending", "approved", 4)
    await change(publisher, runtime, cid, "submitted", "rereview", 2)  # late: older than what was seen
    async with Clients(credentials_app, issuer).as_user("s1100001") as student:
        listed = (await student.get("/api/credentials", params={"certificate_id": str(cid)})).json()
    assert [c["state"] for c in listed] == ["active"]
    assert listed[0]["entry_name"] == "全民英檢" and listed[0]["level_name_en"] == "Intermediate"


async def test_a_certificate_leaving_approval_revokes_and_rereview_suspends(
    credentials_app, runtime, publisher, issuer
):
    cid = uuid.uuid4()
    await change(publisher, runtime, cid, "submitted", "approved", 2)
    await change(publisher, runtime, cid, "approved", "rereview", 3)
    clients = Clients(credentials_app, issuer)
    async with clients.as_user("s1100001") as student, clients.anonymous() as anyone:
        public_id = (await student.get("/api/credentials")).json()
        public_id = next(c["id"] for c in public_id if c["certificate_id"] == str(cid))
        assert (await anyone.get(f"/api/verify/{public_id}")).json()["state"] == "suspended"
        await change(publisher, runtime, cid, "rereview", "rejected", 4)
        answer = (await anyone.get(f"/api/verify/{public_id}")).json()
        assert answer["state"] == "revoked" and "不通過" in answer["revoked_reason"]
        document = (await student.get(f"/api/credentials/{public_id}/credential")).json()
        assert (await independent_verifier.verify(anyone, document)).revoked


async def test_uploads_that_are_not_credentials_get_clear_answers(credentials_app, issuer):
    async with Clients(credentials_app, issuer).anonymous() as anyone:
        broken = await anyone.post("/api/verify", content=b"{not json", headers={"content-type": "application/json"})
        assert broken.status_code == 422 and broken.json()["error"]["message_en"]
        assert "JSON" in broken.json()["error"]["message"]
        huge = await anyone.post(
            "/api/verify", content=b"{" + b" " * 300_000 + b"}", headers={"content-type": "application/json"}
        )
        assert huge.status_code == 413 and huge.json()["error"]["message"]
        garbage_jwt = await anyone.post("/api/verify", content=b"abc.def.ghi", headers={"content-type": "text/plain"})
        assert garbage_jwt.status_code == 200 and not garbage_jwt.json()["valid"]
        assert not garbage_jwt.json()["checks"]["signature"]["ok"]
        stranger = (
            await anyone.post(
                "/api/verify",
                json={"id": "https://elsewhere.example/credentials/x", "issuer": "did:web:elsewhere.example"},
            )
        ).json()
        assert not stranger["valid"] and stranger["credential_id"] is None
        missing = await anyone.get("/verify/NoSuchCredential12345")
        assert missing.status_code == 404 and "查無此數位證明" in missing.text
        assert (await anyone.get("/api/verify/NoSuchCredential12345")).status_code == 404
        assert (await anyone.get("/api/credentials/status/999")).status_code == 404
        did = (await anyone.get("/.well-known/did.json")).json()
        assert did["id"] == "did:web:certhub.test"
        assert did["verificationMethod"][0]["publicKeyMultibase"].startswith("z6Mk")


async def test_status_list_is_signed_cached_and_large_enough(credentials_app, runtime, publisher, issuer):
    await change(publisher, runtime, uuid.uuid4(), "submitted", "approved", 2)
    async with Clients(credentials_app, issuer).anonymous() as anyone:
        answer = await anyone.get("/api/credentials/status/1")
        did = (await anyone.get("/.well-known/did.json")).json()
    assert answer.status_code == 200
    listed = answer.json()
    ttl = listed["credentialSubject"]["ttl"]
    assert answer.headers["cache-control"] == f"public, max-age={ttl // 1000}"
    assert listed["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    key = independent_verifier.key_of(did, listed["proof"]["verificationMethod"])
    assert key and independent_verifier.proof_ok(listed, key)
    independent_verifier.revoked_bit(listed["credentialSubject"]["encodedList"], 0)  # ≥ 131,072 entries
