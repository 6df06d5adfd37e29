"""A record end to end through nginx and the five service processes: approved → signed record →
checked by an outside verifier over the gateway → revoked by the centre → the same link says so."""

from __future__ import annotations

import httpx

from tests.e2e.gateway_api import catalog_entry, decide, login, queue_item, register, wait_for_status
from tests.support import independent_verifier
from tests.support.waiting import eventually


async def test_record_verifies_through_the_gateway_then_shows_revoked(stack):
    async with httpx.AsyncClient(base_url=stack.url, timeout=15) as client:
        student, reviewer, centre = (
            await login(client, "s1100002"),
            await login(client, "rev-im"),
            await login(client, "center"),
        )
        entry = await catalog_entry(client, student, "gept", "全民英語")
        certificate = await register(client, student, entry, "中高級", seed=91, email="s1100002@demo.certhub.tw")
        await queue_item(client, reviewer, certificate["id"])
        assert (await decide(client, reviewer, certificate["id"])).status_code == 200
        await wait_for_status(client, student, certificate["id"], "approved")

        async def issued():
            answer = await client.get(f"/api/certificates/{certificate['id']}/credential", headers=student)
            return answer.json() if answer.status_code == 200 else None

        document = await eventually(issued, timeout=20)
        assert document["id"].startswith(stack.url + "/credentials/")
        assert document["issuer"]["id"] == "did:web:127.0.0.1%3A" + str(stack.gateway_port)
        async with httpx.AsyncClient(base_url=stack.url) as outsider:  # no token: what anyone can fetch
            assert (await independent_verifier.verify(outsider, document)).valid
            public_id = document["id"].rsplit("/", 1)[1]
            page = await outsider.get(f"/verify/{public_id}")
            assert page.status_code == 200 and "有效" in page.text
            qr = await outsider.get(f"/api/credentials/{public_id}/qr.png")
            assert qr.headers["content-type"] == "image/png"

            revoked = await client.post(
                f"/api/credentials/{public_id}/revoke", headers=centre, json={"reason": "補發新證，舊證作廢"}
            )
            assert revoked.status_code == 200, revoked.text
            assert (await independent_verifier.verify(outsider, document)).revoked
            page = await outsider.get(f"/verify/{public_id}")
            assert "已撤銷" in page.text and "補發新證，舊證作廢" in page.text
