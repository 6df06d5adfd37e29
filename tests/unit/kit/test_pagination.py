"""The kit's cursor codec: what a service encodes comes back typed; anything else is one clear 422."""

from __future__ import annotations

import base64
import json
import uuid
from datetime import UTC, date, datetime

import httpx
import pytest
from fastapi import FastAPI

from certhub_kit.errors import Invalid
from certhub_kit.http import install_error_handlers
from certhub_kit.pagination import MAX_INT, Page, decode_cursor, encode_cursor, next_page

WHEN = datetime(2026, 12, 2, 5, 58, 41, 123456, tzinfo=UTC)
ID = uuid.UUID("0b5e2f7c-3d4a-4c1e-9f6b-2a7d8e9c1b30")


def raw(payload: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    ("values", "types"),
    [
        ((WHEN, ID), (datetime, uuid.UUID)),
        ((date(2027, 1, 31), ID), (date, uuid.UUID)),
        ((0,), (int,)),
        ((MAX_INT,), (int,)),
        (("資訊管理 IM/3A?&=",), (str,)),
        ((WHEN, 42, "x", ID), (datetime, int, str, uuid.UUID)),
    ],
)
def test_every_kind_of_value_comes_back_equal_and_typed(values, types):
    cursor = encode_cursor(*values)
    assert cursor.replace("-", "").replace("_", "").isalnum()  # safe in a query string, no padding
    decoded = decode_cursor(cursor, *types)
    assert decoded == values
    assert [type(v) for v in decoded] == [type(v) for v in values]


def test_a_datetime_keeps_its_time_zone_and_microseconds():
    (back,) = decode_cursor(encode_cursor(WHEN), datetime)
    assert back.utcoffset() is not None and back.microsecond == 123456


@pytest.mark.parametrize("nothing", [None, ""])
def test_no_cursor_is_the_first_page(nothing):
    assert decode_cursor(nothing, datetime, uuid.UUID) is None


GOOD = encode_cursor(WHEN, ID)
BAD = {
    "garbage": "garbage!",
    "not base64 of JSON": "zzz",
    "padding": GOOD + "==",
    "tampered opening": "X" + GOOD[1:],
    "tampered into bytes that are not UTF-8": "____" + GOOD[4:],
    "tampered closing": GOOD[:-2] + "Zg",
    "truncated": GOOD[:-5],
    "too long": "A" * 201,
    "not a list": raw({"created": WHEN.isoformat()}),
    "too few values": raw([WHEN.isoformat()]),
    "too many values": raw([WHEN.isoformat(), str(ID), 1]),
    "wrong order": raw([str(ID), WHEN.isoformat()]),
    "a number for a date": raw([20261202, str(ID)]),
    "not a uuid": raw([WHEN.isoformat(), "not-a-uuid"]),
    "a NUL in a string": raw([WHEN.isoformat(), "\x00" + str(ID)]),
    "the old offset form": base64.urlsafe_b64encode(b"o:20").decode(),
}


@pytest.mark.parametrize("cursor", BAD.values(), ids=BAD.keys())
def test_a_cursor_not_issued_for_this_list_is_invalid_cursor_in_both_languages(cursor):
    with pytest.raises(Invalid) as refused:
        decode_cursor(cursor, datetime, uuid.UUID)
    error = refused.value
    assert (error.status, error.code) == (422, "invalid_cursor")
    assert error.message == "分頁游標無效，請重新查詢"
    assert error.message_en == "The cursor is not valid; please search again"


@pytest.mark.parametrize(
    "value", [-1, MAX_INT + 1, 10**40, True, 1.5, "7", None], ids=lambda v: f"{type(v).__name__}:{v}"
)
def test_an_int_position_is_a_whole_number_a_bigint_can_hold(value):
    with pytest.raises(Invalid) as refused:
        decode_cursor(raw([value]), int)
    assert refused.value.code == "invalid_cursor"


def test_a_date_cursor_is_not_read_as_a_datetime_one_and_back():
    assert decode_cursor(encode_cursor(date(2027, 1, 31), ID), date, uuid.UUID)
    with pytest.raises(Invalid):
        decode_cursor(encode_cursor(WHEN, ID), date, uuid.UUID)


def test_only_the_values_a_cursor_holds_can_be_encoded():
    for value in (1.5, True, None, b"x"):
        with pytest.raises(TypeError):
            encode_cursor(value)  # type: ignore[arg-type]


def test_next_page_cuts_the_extra_row_and_points_after_the_last_kept_one():
    rows = [{"seq": n} for n in (9, 8, 7)]
    page, cursor = next_page(rows, 2, lambda r: (r["seq"],))
    assert page == rows[:2] and decode_cursor(cursor, int) == (8,)
    assert next_page(rows[:2], 2, lambda r: (r["seq"],)) == (rows[:2], None)
    assert next_page([], 2, lambda r: (r["seq"],)) == ([], None)


def test_a_page_has_the_shape_the_web_client_reads():
    assert Page[int](items=[1, 2], next_cursor="abc").model_dump() == {"items": [1, 2], "next_cursor": "abc"}
    assert Page[int](items=[]).model_dump() == {"items": [], "next_cursor": None}


async def test_over_http_a_bad_cursor_is_a_422_with_both_messages():
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/things")
    async def things(cursor: str | None = None) -> dict:
        return {"after": [str(v) for v in decode_cursor(cursor, int) or ()]}

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        fine = await client.get("/things", params={"cursor": encode_cursor(5)})
        bad = await client.get("/things", params={"cursor": "garbage!"})
    assert fine.json() == {"after": ["5"]}
    assert bad.status_code == 422
    assert bad.json() == {
        "error": {
            "code": "invalid_cursor",
            "message": "分頁游標無效，請重新查詢",
            "message_en": "The cursor is not valid; please search again",
        }
    }
