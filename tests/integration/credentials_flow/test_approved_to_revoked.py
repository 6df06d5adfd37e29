"""The whole story through the five real services: a student registers a certificate, the
department approves it, the credentials service issues a signed record, an outsider verifies it
(the JSON and the JWT), the centre revokes it, and the same link then says revoked with the reason."""

from __future__ import annotations

import io
import zipfile

from tests.support import independent_verifier
from tests.support.fleet import STUDENT_A, start_fleet


async def test_approved_certificate_to_verified_record_to_revoked(settings_for, issuer):
    async with start_fleet(settings_for, issuer, "credflow") as fleet:
        certificate = await fleet.register(STUDENT_A, "gept", "中級")
        await fleet.approve(certificate["id"])
        record = await fleet.credential_of(certificate["id"])
        assert record["state"] == "active" and record["entry_name"] == "全民英語能力分級檢定測驗"
        public_id = record["id"]
        async with (
            fleet.client("credentials", "student_a") as student,
            fleet.client("credentials", "no_token") as anyone,
            fleet.client("credentials", "center") as centre,
        ):
            document = (await student.get(record["credential_url"])).json()
            assert document["credentialSubject"]["achievement"]["name"].startswith("全民英語能力分級檢定測驗")
            assert (await independent_verifier.verify(anyone, document)).valid
            by_certificate = await student.get(f"/api/certificates/{certificate['id']}/credential")
            assert by_certificate.json() == document
            assert (
                await fleet.client("credentials", "student_b").get(f"/api/certificates/{certificate['id']}/credential")
            ).status_code == 404
            token = (await student.get(record["credential_url"], headers={"Accept": "application/vc+jwt"})).text
            by_jwt = (await anyone.post("/api/verify", content=token, headers={"content-type": "text/plain"})).json()
            assert by_jwt["valid"] and by_jwt["form"] == "jwt"
            bundle = zipfile.ZipFile(io.BytesIO((await student.get(record["download_url"])).content))
            assert sorted(bundle.namelist()) == ["README.txt", "credential.json", "credential.jwt", "verify-qr.png"]
            assert bundle.read("verify-qr.png")[:8] == b"\x89PNG\r\n\x1a\n"
            tampered = {**document, "name": "偽造 / forged"}
            forged = (await anyone.post("/api/verify", json=tampered)).json()
            assert not forged["valid"] and not forged["checks"]["signature"]["ok"]

            page = await anyone.get(f"/verify/{public_id}")
            assert "有效" in page.text and "資訊管理學系" in page.text

            revoked = await centre.post(f"/api/credentials/{public_id}/revoke", json={"reason": "原件經查為偽造"})
            assert revoked.status_code == 200, revoked.text
            answer = (await anyone.get(f"/api/verify/{public_id}")).json()
            assert answer["state"] == "revoked" and answer["revoked_reason"] == "原件經查為偽造"
            assert (await independent_verifier.verify(anyone, document)).revoked
            again = (await anyone.post("/api/verify", content=token, headers={"content-type": "text/plain"})).json()
            assert not again["valid"] and again["state"] == "revoked"
            page = await anyone.get(f"/verify/{public_id}?lang=en")
            assert "Revoked" in page.text and "原件經查為偽造" in page.text
