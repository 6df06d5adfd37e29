"""The kit's hardening pieces on their own: metadata removal, PDF trailers, input guards, the pixel budget."""

from __future__ import annotations

import asyncio
import io

import pytest
from PIL import Image

from certhub_kit.errors import Invalid
from certhub_kit.guards import check_integer_text, check_value
from certhub_kit.jpeg_meta import strip_metadata
from certhub_kit.pdf_check import without_trailer
from certhub_kit.pixels import PixelBudget
from certhub_kit.png_meta import strip_png_metadata
from tests.security.test_s16_stored_files_clean import SECRET, TRAILER, hostile_jpeg, hostile_png, jpeg_segments


def test_a_jpeg_keeps_only_what_decoding_needs() -> None:
    clean = strip_metadata(hostile_jpeg())
    assert clean.endswith(b"\xff\xd9") and SECRET not in clean and TRAILER not in clean and b"GPS" not in clean
    assert {m for m in jpeg_segments(clean) if 0xE0 <= m <= 0xEF or m == 0xFE} == {0xE0}
    assert Image.open(io.BytesIO(clean)).size == (320, 240)


def test_a_png_keeps_only_what_decoding_needs() -> None:
    clean = strip_png_metadata(hostile_png())
    assert clean.endswith(b"IEND\xaeB`\x82") and SECRET not in clean and b"tEXt" not in clean and b"eXIf" not in clean
    Image.open(io.BytesIO(clean)).load()


def test_nothing_after_the_last_eof_of_a_pdf() -> None:
    assert without_trailer(b"%PDF-1.4\n...%%EOF\n<html>") == b"%PDF-1.4\n...%%EOF\n"
    assert without_trailer(b"%PDF-1.4 a %%EOF\r\nupdate %%EOF") == b"%PDF-1.4 a %%EOF\r\nupdate %%EOF"


@pytest.mark.parametrize("value", ["a\x00b", {"x": ["ok", "b\x00"]}, 2**63, -(2**63) - 1, {"n": [2**70]}])
def test_nul_and_numbers_beyond_int8_are_refused(value) -> None:
    with pytest.raises(Invalid):
        check_value(value, "field")


def test_ordinary_values_pass() -> None:
    check_value({"name": "王小明", "amount": 2**63 - 1, "ok": True, "list": [1.5, None]}, "body")
    check_integer_text("123456789012345678", "q")
    with pytest.raises(Invalid):
        check_integer_text("9" * 19, "q")


async def test_the_budget_runs_large_decodes_one_after_another() -> None:
    budget, order = PixelBudget(limit=20), []

    async def decode(name: str, pixels: int) -> None:
        async with budget.held(pixels):
            order.append(f"+{name}")
            await asyncio.sleep(0.01)
            order.append(f"-{name}")

    await asyncio.gather(decode("a", 15), decode("b", 15), decode("c", 2), decode("d", 2))
    assert budget.peak <= 20 and budget.in_flight == 0
    assert order.index("-a") < order.index("+b")  # the two large ones never overlap
