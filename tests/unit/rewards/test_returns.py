"""The bank's returned-transfer CSV checked against a paid batch."""

from __future__ import annotations

import pytest

from certhub_kit.errors import Invalid
from rewards.domain import returns as r

A, B = "11111111-1111-1111-1111-111111111111", "22222222-2222-2222-2222-222222222222"


def test_each_row_gets_a_status():
    data = (
        "\ufeffapplication_id,amount,reason\n"
        f"{A},1000,帳號錯誤\n{A},1000,again\n{B},999,戶名不符\n"
        "33333333-3333-3333-3333-333333333333,5,x\n,,\n"
    ).encode()
    paid = {A: ("paid", 1000), B: ("paid", 1000)}
    statuses = [s for _, s in r.check_rows(r.parse_returns(data), paid)]
    assert statuses == [r.OK, r.DUPLICATE, r.AMOUNT_MISMATCH, r.UNKNOWN, r.BAD_ROW]


def test_a_row_already_returned_is_not_paid():
    rows = r.parse_returns(f"application_id,amount,reason\n{A},1000,x\n".encode())
    assert r.check_rows(rows, {A: ("needs_fix", 1000)})[0][1] == r.NOT_PAID


@pytest.mark.parametrize("data", [b"foo,bar\n1,2\n", b"application_id,amount,reason\n", "\xff".encode("latin-1")])
def test_unusable_files_are_refused(data):
    with pytest.raises(Invalid):
        r.parse_returns(data)


def test_the_fee_is_deducted_never_below_zero():
    assert r.repayable_amount(1000, 30) == 970 and r.repayable_amount(10, 30) == 0
