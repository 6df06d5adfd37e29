"""Eight concurrent pixel floods against each service that decodes uploads, on the real stack
(tests/support/stack.py: the services as processes behind nginx): each service's peak RSS against
the 256 MiB container limit of docker-compose.yml. Prints numbers; it is not a test.

    .venv/bin/python -m bench.pixel_flood [--rounds 3]

A flood is the issue's 154 KB 6300 × 6300 RGBA PNG (refused from its header) and a 4400 × 4400 RGBA
PNG just under the pixel limit (77 MB once decoded), eight of each at once per round, sent to the
certificate scan (certificates), the centre's original (review) and the passbook cover (rewards).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from datetime import UTC, date, datetime, timedelta

import httpx

from bench.infra import Infra, NotAvailable, RssSampler
from bench.registration import login, pick_entry
from tests.support.upload_corpus import flood_png

LIMIT_MIB = 256
CONCURRENT = 8


async def _certificate(http, token: str, entry: dict, email: str, levels: list[str] | None = None) -> str:
    level = next((v for v in entry["levels"] if not levels or v["name"] in levels), entry["levels"][0])
    answer = await http.post(
        "/api/certificates",
        headers={"Authorization": f"Bearer {token}"},
        data={
            "entry_id": entry["id"],
            "level_id": level["id"],
            "email": email,
            "issued_on": (date.today() - timedelta(days=10)).isoformat(),
        },
        files={"scan": ("scan.png", flood_png(64, 64), "image/png")},
    )
    if answer.status_code != 201:
        raise NotAvailable(f"registration → {answer.status_code} {answer.text[:200]}")
    return answer.json()["id"]


async def _eventually(check, timeout: float = 30.0):
    end, last = time.monotonic() + timeout, None
    while time.monotonic() < end:
        found = last = await check()
        if found and not isinstance(found, httpx.Response):
            return found
        await asyncio.sleep(0.3)
    raise NotAvailable(f"the events did not arrive in time: {getattr(last, 'text', last)!s:.200}")


async def original_target(http, infra: Infra) -> tuple[str, str, dict, str]:
    """A certificate in the centre's queue of originals (IT track: registered, link followed)."""
    student, centre = await login(http, "s1100001"), await login(http, "center")
    entry = await pick_entry(http, student, it=True)
    certificate = await _certificate(http, student, entry, "s1100001@demo.certhub.tw")

    async def link():
        from tests.e2e.gateway_api import confirmation_link

        for message in list(infra.sink.messages):
            try:
                return "/api/confirm/" + confirmation_link(message).rsplit("/", 1)[1]
            except AttributeError:
                continue
        return None

    path = await _eventually(link)
    confirmed = await http.post(path)
    if confirmed.status_code != 200:
        raise NotAvailable(f"confirmation → {confirmed.status_code} {confirmed.text[:200]}")

    async def queued():
        answer = await http.get(f"/api/review/{certificate}", headers={"Authorization": f"Bearer {centre}"})
        waiting = answer.status_code == 200 and answer.json().get("status") in ("submitted", "verifying")
        return True if waiting else answer

    await _eventually(queued)
    return "review", f"/api/review/{certificate}/original", {"Authorization": f"Bearer {centre}"}, "scan"


async def passbook_target(http, infra: Infra) -> tuple[str, str, dict, str]:
    """An application of a student's approved certificate, in a window the admin opened for it."""
    student, reviewer, admin = [await login(http, u) for u in ("s1100002", "rev-im", "admin")]
    standards = (await http.get("/api/rewards/standards", headers={"Authorization": f"Bearer {admin}"})).json()
    standard = next((s for s in standards if s.get("qualifying")), None)
    if standard is None:
        raise NotAvailable("no reward standard with qualifying certificates")
    now = datetime.now(UTC)
    await http.put(
        f"/api/rewards/windows/{standard['academic_year']}",
        headers={"Authorization": f"Bearer {admin}"},
        json={"opens_at": (now - timedelta(days=1)).isoformat(), "closes_at": (now + timedelta(days=1)).isoformat()},
    )
    key = standard["qualifying"][0]["certificate_key"]
    catalog = (await http.get("/api/catalog", params={"q": key}, headers={"Authorization": f"Bearer {student}"})).json()
    entry = next(e for e in catalog["items"] if e.get("key") == key)
    certificate = await _certificate(
        http, student, entry, "s1100002@demo.certhub.tw", standard["qualifying"][0].get("levels")
    )

    async def decided():
        answer = await http.post(
            f"/api/review/{certificate}/decision",
            headers={"Authorization": f"Bearer {reviewer}"},
            json={"decision": "approved", "reason": "bench"},
        )
        return True if answer.status_code == 200 else answer

    await _eventually(decided)

    async def applied():
        answer = await http.post(
            "/api/rewards/applications",
            headers={"Authorization": f"Bearer {student}"},
            json={"standard_id": standard["id"], "certificate_ids": [certificate]},
        )
        return answer.json()["id"] if answer.status_code == 201 else answer

    application = await _eventually(applied)
    return (
        "rewards",
        f"/api/rewards/applications/{application}/bank-account",
        {"Authorization": f"Bearer {student}"},
        "passbook",
    )


async def scan_target(http, infra: Infra) -> tuple[str, str, dict, str]:
    student = await login(http, "s1100003")
    return "certificates", "/api/certificates", {"Authorization": f"Bearer {student}"}, "scan"


def form_for(field: str, entry: dict) -> dict:
    if field == "passbook":
        return {
            "method": "bank",
            "code": "0040174",
            "account_no": "123456789012",
            "account_name": "李小華",
            "postal_code": "900",
            "address": "屏東縣",
        }
    if entry:
        return {
            "entry_id": entry["id"],
            "level_id": entry["levels"][0]["id"],
            "email": "s1100003@demo.certhub.tw",
            "issued_on": (date.today() - timedelta(days=10)).isoformat(),
        }
    return {}


async def flood(http, path: str, headers: dict, field: str, rounds: int, form: dict) -> dict[str, int]:
    method = "PUT" if path.endswith("bank-account") else "POST"
    statuses: dict[str, int] = {}
    for _ in range(rounds):
        for image in (flood_png(), flood_png(4400, 4400)):
            answers = await asyncio.gather(
                *[
                    http.request(
                        method, path, headers=headers, data=form, files={field: ("flood.png", image, "image/png")}
                    )
                    for _ in range(CONCURRENT)
                ]
            )
            for answer in answers:
                statuses[str(answer.status_code)] = statuses.get(str(answer.status_code), 0) + 1
    return statuses


async def run(infra: Infra, rounds: int) -> None:
    infra.start_servers()
    await asyncio.to_thread(infra.start_stack)
    stack = infra.stack
    async with httpx.AsyncClient(base_url=stack.url, timeout=120) as http:
        for prepare in (scan_target, original_target, passbook_target):
            try:
                service, path, headers, field = await prepare(http, infra)
            except (NotAvailable, KeyError, StopIteration, ValueError, TypeError) as exc:
                print(f"{prepare.__name__}: not available: {exc!r}"[:300], flush=True)
                continue
            pid = stack.processes[service][0].pid
            with RssSampler({service: pid}, interval=0.02) as rss:
                before = rss.peak[service]
                began = time.monotonic()
                token = headers["Authorization"][7:]
                entry = await pick_entry(http, token, it=False) if service == "certificates" else {}
                statuses = await flood(http, path, headers, field, rounds, form_for(field, entry))
            peak = rss.peak[service]
            verdict = "under" if peak < LIMIT_MIB else "OVER"
            print(
                f"{service:13s} {rounds} × ({CONCURRENT} × 6300² + {CONCURRENT} × 4400²) to {path.split('/')[-1]}: "
                f"RSS {before:.0f} → peak {peak:.0f} MiB, {verdict} the {LIMIT_MIB} MiB limit; answers {statuses}; "
                f"{time.monotonic() - began:.1f} s",
                flush=True,
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    infra = Infra()
    try:
        asyncio.run(run(infra, args.rounds))
    finally:
        infra.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
