"""Remittance codes, account numbers per institution, names, postal codes, masking, sealing."""

from __future__ import annotations

import uuid

import pytest

from certhub_kit.errors import Invalid
from rewards.adapters.crypto import AccountCipher
from rewards.adapters.reference_data import bank_rows
from rewards.domain.banking import BankDirectory, bank_account_from_form, mask

DIRECTORY = BankDirectory(
    [
        {"code": "004", "name": "臺灣銀行", "name_en": "Bank of Taiwan", "kind": "bank", "account_digits": [12]},
        {"code": "700", "name": "中華郵政", "name_en": "Chunghwa Post", "kind": "post", "account_digits": [14]},
    ]
)


def form(**changes):
    values = dict(
        method="bank",
        code="0040174",
        account_no="123456789012",
        account_name="王小明",
        postal_code="900",
        address="屏東縣屏東市民生路4-18號",
        other_reason=None,
        student_name="王小明",
        directory=DIRECTORY,
    )
    values.update(changes)
    return bank_account_from_form(**values)


def test_bank_of_taiwan_pingtung_branch_is_accepted():
    account = form()
    assert (account.method, account.code, account.account_no, account.last4) == (
        "bank",
        "0040174",
        "123456789012",
        "9012",
    )


def test_post_office():
    account = form(method="post", code="7000021", account_no="0001234-5678901")
    assert account.account_no == "00012345678901"


@pytest.mark.parametrize(
    "changes",
    [
        {"code": "004017"},  # 6 digits
        {"code": "00401745"},  # 8 digits
        {"code": "999 0174"},  # unknown head office
        {"code": "7000021"},  # post office code with method bank
        {"method": "post", "code": "7000022"},
        {"method": "post", "code": "0040174"},
        {"account_no": "12345678901"},  # 11 digits at a 12-digit bank
        {"account_no": "12345678901a"},
        {"account_no": ""},
        {"account_name": "李小華"},  # not the student's own name
        {"postal_code": "9000"},
        {"postal_code": ""},
        {"address": ""},
        {"method": "cash"},
        {"method": "other"},  # other without a declared reason
    ],
)
def test_bad_accounts_are_refused(changes):
    with pytest.raises(Invalid):
        form(**changes)


@pytest.mark.parametrize("postal_code", ["900", "90003", "900003"])
def test_postal_codes_of_3_5_6_digits(postal_code):
    assert form(postal_code=postal_code).postal_code == postal_code


def test_other_method_only_with_a_reason():
    account = form(method="other", code=None, account_no=None, other_reason="本人無存款帳號")
    assert account.account_no is None and account.other_reason == "本人無存款帳號"


def test_mask_shows_only_the_last_four():
    assert mask("123456789012") == "********9012"
    assert mask(None) is None


def test_other_method_checks_its_fields():
    for fields in (
        {"code": "0040174"},
        {"account_no": "123456789012"},
        {"account_name": "別人"},
        {"other_reason": "  "},
        {"other_reason": "理" * 501},
    ):
        with pytest.raises(Invalid):
            form(**{"method": "other", "code": None, "account_no": None, "other_reason": "本人無存款帳號", **fields})


def test_shipped_bank_list_has_taiwan_bank_and_post_office():
    directory = BankDirectory(bank_rows())
    assert directory.get("004").name == "臺灣銀行"
    assert directory.get("700").kind == "post"
    assert len(directory) > 40


def test_sealed_account_is_bound_to_its_application():
    cipher = AccountCipher.from_settings("", relaxed=True)
    application_id = uuid.uuid4()
    sealed = cipher.seal(application_id, form())
    assert b"123456789012" not in sealed
    assert cipher.open(application_id, sealed)["account_no"] == "123456789012"
    with pytest.raises(ValueError):
        cipher.open(uuid.uuid4(), sealed)
    with pytest.raises(RuntimeError):
        AccountCipher.from_settings("", relaxed=False)
