"""Every mail template, rendered: zh-TW first and English below, in the text and the HTML part."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from certhub_kit.department_copy import DEMO_NAMES, DepartmentNames
from notify.adapters.templates import MailTemplates
from notify.domain import mail as templates
from notify.domain.reminders import RewardWindow
from notify.service_layer.composer import DigestItem, ExpiringItem, MailComposer

from . import samples

ENGLISH_MARK = "======== English ========"


@pytest.fixture(scope="module")
def composer() -> MailComposer:
    return MailComposer(MailTemplates(), samples.BASE_URL + "/")


WINDOW = RewardWindow(date(2026, 4, 1), date(2026, 4, 30))
DIGEST = [
    DigestItem(
        "TOEIC 多益測驗 金色證書", "王小明", "s1100001", "submitted", datetime(2026, 3, 20, 1, 0, tzinfo=UTC), 5
    ),
    DigestItem("TQC Word 進階級", "李小華", "s1100002", "rereview", datetime(2026, 3, 24, 1, 0, tzinfo=UTC), 1),
]
OVERDUE = [
    DigestItem(
        "TOEIC 多益測驗 金色證書",
        "王小明",
        "s1100001",
        "submitted",
        datetime(2026, 3, 10, 1, 0, tzinfo=UTC),
        15,
        dept="IM",
        due_on=date(2026, 3, 17),
        overdue=True,
    )
]
CHANGED_AT = datetime(2025, 10, 2, 16, 30, tzinfo=UTC)  # 2025-10-03 00:30 in Taipei


def build(composer: MailComposer, template: str):
    """The mail for ``template`` and what a reader must find in it: (subject, zh parts, en parts, link)."""
    email = "s1100001@demo.certhub.tw"
    cert_zh = cert_en = "TOEIC 多益測驗 金色證書"
    certs = f"{samples.BASE_URL}/#/certificates"
    rewards = f"{samples.BASE_URL}/#/rewards/mine"
    apply_url = f"{samples.BASE_URL}/#/rewards/apply"
    if template == templates.CONFIRM_CERTIFICATE:
        ev = samples.registered(email)
        return (
            composer.confirmation(ev.certificate, ev.confirmation_url, ev.confirmation_expires_at, resent=False),
            ["請確認證照登錄", cert_zh],
            ["王小明 同學您好", cert_zh, "民國 114 年 3 月 14 日", "民國 114 年 9 月 8 日 10:00"],
            ["Dear 王小明", cert_en, "14 March 2025", "8 September 2025, 10:00 (Taipei time)"],
            samples.TOKEN_URL,
        )
    if template in templates.STATUS_TEMPLATES.values():
        status = next(s for s, t in templates.STATUS_TEMPLATES.items() if t == template)
        ev = samples.status_changed(status, email)
        mail = composer.status_change(ev, CHANGED_AT)
        zh = ["王小明 同學您好", cert_zh, "民國 114 年 10 月 3 日 00:30"]
        en = ["Dear 王小明", cert_en, "3 October 2025, 00:30 (Taipei time)"]
        subject = {
            "approved": "證照審核通過",
            "rejected": "證照審核不通過",
            "rereview": "尚缺資料",
            "credit_pending": "抵免辦理中",
            "recorded": "證照登錄完成",
        }[status]
        link = certs
        if status == "rejected":
            zh += ["不通過原因：掃描檔模糊，請重新上傳清晰的證照影本", "再次存檔送審"]
            en += ["Reason: 掃描檔模糊", "Save and resubmit", "Delete"]
            link = f"{certs}/{ev.certificate.certificate_id}/edit"
        if status == "rereview":
            zh += ["尚缺：TQC 尚缺 Excel 科目"]
            en += ["Still missing: TQC 尚缺 Excel 科目"]
        return mail, [subject, cert_zh], zh, en, link
    if template == templates.CATALOG_REQUEST_ANSWERED:
        return (
            composer.catalog_answer(samples.catalog_answer(True, email)),
            ["已新增", "AWS Certified"],
            ["AWS Certified Cloud Practitioner」已新增至目錄"],
            ["is now in the certificate catalog"],
            f"{samples.BASE_URL}/#/certificates/new",
        )
    if template == templates.REWARD_FIRST_REVIEWED:
        return (
            composer.reward_reviewed(samples.first_reviewed("Y", email), template),
            ["114 學年度", "初審通過"],
            ["114 學年度", "全校--1級-3項-證券商業務員", "NT$ 3,000", "民國 115 年 4 月 20 日 14:30", "複審"],
            ["academic year 114 (2025–26)", "passed", "second review"],
            rewards,
        )
    if template == templates.REWARD_SECOND_REVIEWED:
        return (
            composer.reward_reviewed(samples.second_reviewed("Y", email), template),
            ["114 學年度", "複審通過"],
            ["114 學年度", "複審：", "通過", "6 月底前"],
            ["academic year 114", "passed the second review"],
            rewards,
        )
    if template == templates.REWARD_PAID:
        return (
            composer.reward_paid(samples.paid(email)),
            ["114 學年度", "已撥款"],
            ["民國 115 年 6 月 21 日", "NT$ 3,000", "撥款"],
            ["21 June 2026", "was paid", "NT$ 3,000"],
            rewards,
        )
    if template == templates.REWARD_TRANSFER_RETURNED:
        return (
            composer.transfer_returned(samples.returned(email)),
            ["退匯", "correct your bank account"],
            ["114 學年度", "帳號錯誤", "民國 115 年 7 月 1 日", "NT$ 3,000", "退匯手續費 NT$ 30", "更正金融帳號"],
            ["returned", "帳號錯誤", "1 July 2026", "fee of NT$ 30"],
            rewards,
        )
    if template in (templates.WINDOW_OPENS_SOON, templates.WINDOW_OPEN_TODAY, templates.WINDOW_CLOSES_SOON):
        mail = composer.window_reminder(
            template,
            WINDOW,
            recipient=email,
            student_name="王小明",
            certificates=["TOEIC 多益測驗 金色證書", "TQC Word 進階級"],
        )
        subject = {
            templates.WINDOW_OPENS_SOON: "7 天後開始",
            templates.WINDOW_OPEN_TODAY: "今天開始申請",
            templates.WINDOW_CLOSES_SOON: "3 天後截止",
        }[template]
        return (
            mail,
            ["114 學年度", subject],
            ["114 學年度", "民國 115 年 4 月 1 日", "民國 115 年 4 月 30 日", "TQC Word 進階級", "2 張"],
            ["academic year 114 (2025–26)", "1 April 2026", "30 April 2026", "TQC Word 進階級"],
            apply_url,
        )
    if template == templates.REVIEWER_DIGEST:
        mail = composer.reviewer_digest("IM", "rev-im@demo.certhub.tw", DIGEST, date(2026, 3, 25), names=DEMO_NAMES)
        return (
            mail,
            ["資訊管理學系", "2 件"],
            [
                "資訊管理學系審核人員您好",
                "王小明",
                "s1100001",
                "申請中",
                "已等待 5 天",
                "再審中",
                "民國 115 年 3 月 25 日",
            ],
            ["Department of Information Management", "waiting 5 day(s)", "under re-review", "25 March 2026"],
            f"{samples.BASE_URL}/#/review/queue?dept=IM",
        )
    if template == templates.EXPIRY_DIGEST:
        items = [
            ExpiringItem("TOEIC 多益測驗 金色證書", date(2026, 4, 24), 30),
            ExpiringItem("TQC Word", date(2026, 4, 1), 7),
        ]
        mail = composer.expiry_digest(email, "王小明", items, date(2026, 3, 25))
        return (
            mail,
            ["2 張證照即將到期", "expire soon"],
            ["王小明 同學您好", "TOEIC 多益測驗 金色證書", "民國 115 年 4 月 24 日 到期", "剩 30 天", "剩 7 天"],
            ["Dear 王小明", "24 April 2026", "30 day(s) left", "can no longer be used for a reward"],
            f"{samples.BASE_URL}/#/certificates/new",
        )
    if template == templates.CENTER_OVERDUE_DIGEST:
        mail = composer.overdue_digest("center@demo.certhub.tw", OVERDUE, date(2026, 3, 25), names=DEMO_NAMES)
        return (
            mail,
            ["逾期未審證照 1 件", "overdue"],
            ["職涯發展與輔導組您好", "資訊管理學系", "王小明", "已等待 15 天", "期限 民國 115 年 3 月 17 日"],
            ["Department of Information Management", "waiting 15 day(s)", "due 17 March 2026"],
            f"{samples.BASE_URL}/#/center/overdue",
        )
    raise AssertionError(f"no sample for {template}")


def test_a_reviewer_of_two_departments_gets_both_in_one_digest_with_overdue_marked(composer):
    items = [*DIGEST, *OVERDUE]
    mail = composer.reviewer_digest(["IM", "EE"], "rev@demo.certhub.tw", items, date(2026, 3, 25), names=DEMO_NAMES)
    assert "、" in mail.subject and "資訊管理學系" in mail.subject
    assert "其中 1 件已逾期" in mail.text and "【逾期】TOEIC" in mail.text and "[OVERDUE] TOEIC" in mail.text
    assert "應於 民國 115 年 3 月 17 日 前處理" in mail.text and "due by 17 March 2026" in mail.text
    assert f"{samples.BASE_URL}/#/review/queue\n" in mail.text.replace("\r", "")


@pytest.mark.parametrize("template", templates.TEMPLATES)
def test_every_template_renders_both_languages_in_text_and_html(composer, template):
    mail, subject_parts, zh_parts, en_parts, link = build(composer, template)
    assert mail is not None and mail.template == template
    assert mail.subject.startswith("【CertHub】") and " / " in mail.subject, mail.subject
    for part in subject_parts:
        assert part in mail.subject, (part, mail.subject)
    zh_text, _, en_text = mail.text.partition(ENGLISH_MARK)
    assert en_text, "English follows the zh-TW part"
    for part in zh_parts:
        assert part in zh_text, (template, part)
    for part in en_parts:
        assert part in en_text, (template, part)
    assert link in zh_text and link in en_text
    zh_html, _, en_html = mail.html.partition('<div lang="en">')
    assert '<div lang="zh-Hant-TW">' in zh_html and en_html
    assert f'href="{link.replace("&", "&amp;")}"' in mail.html
    for part in zh_parts[:2]:
        assert part.split("」")[0] in zh_html, (template, part)
    assert "{{" not in mail.text + mail.html and "{%" not in mail.text + mail.html


def test_html_is_autoescaped_and_text_is_not(composer):
    ev = samples.status_changed("rejected")
    ev.reason = '<script>alert("x")</script> & 請補件'
    mail = composer.status_change(ev, CHANGED_AT)
    assert "<script>" not in mail.html
    assert "&lt;script&gt;" in mail.html and "&amp; 請補件" in mail.html
    assert '<script>alert("x")</script> & 請補件' in mail.text


def test_rejection_without_a_reason_tells_the_student_whom_to_ask(composer):
    ev = samples.status_changed("rejected")
    ev.reason = None
    mail = composer.status_change(ev, CHANGED_AT)
    assert "請洽系所承辦人" in mail.text and "please ask your department office" in mail.text


def test_rejection_with_a_reason_code_gives_the_fix_instruction_in_both_languages(composer):
    ev = samples.status_changed("rejected")
    ev.reason, ev.reason_code = "影本不清楚：右下角模糊", "unclear_copy"
    ev.instruction, ev.instruction_en = "請重新掃描證照", "Scan the certificate again"
    mail = composer.status_change(ev, CHANGED_AT)
    assert "不通過原因：影本不清楚：右下角模糊" in mail.text and "補正方式：請重新掃描證照" in mail.text
    assert "How to fix it: Scan the certificate again" in mail.text
    assert "補正方式：</strong>請重新掃描證照" in mail.html and "How to fix it:</strong> Scan" in mail.html
    plain = composer.status_change(samples.status_changed("rejected"), CHANGED_AT)
    assert "補正方式" not in plain.text and "How to fix it" not in plain.text


def test_declined_catalog_request_gives_the_reason_and_a_way_back(composer):
    mail = composer.catalog_answer(samples.catalog_answer(False))
    assert "未新增" in mail.subject and "declined" in mail.subject
    assert "原因：此證照已列於目錄" in mail.text and "Reason: 此證照已列於目錄" in mail.text
    assert f"{samples.BASE_URL}/#/catalog-request" in mail.text


@pytest.mark.parametrize("kind", ["first", "second"])
def test_failed_reward_review_carries_the_note(composer, kind):
    event = samples.first_reviewed("N") if kind == "first" else samples.second_reviewed("N")
    template = templates.REWARD_FIRST_REVIEWED if kind == "first" else templates.REWARD_SECOND_REVIEWED
    mail = composer.reward_reviewed(event, template)
    assert "未通過" in mail.subject and "did not pass" in mail.subject
    assert "審核意見：證照取得日期不在本學年度" in mail.text and "Reviewer's note: 證照取得日期" in mail.text


def test_resent_confirmation_says_so(composer):
    ev = samples.resent()
    mail = composer.confirmation(ev.certificate, ev.confirmation_url, ev.confirmation_expires_at, resent=True)
    assert "重新寄送確認連結" in mail.text and "here is your confirmation link again" in mail.text
    assert ev.confirmation_url in mail.text


def test_reward_paid_mail_never_mentions_bank_details(composer):
    mail = composer.reward_paid(samples.paid())
    assert "帳號" not in mail.text and "account number" not in mail.text.lower()


@pytest.mark.parametrize("status", ["submitted", "verifying", "draft"])
def test_statuses_without_a_mail(composer, status):
    assert composer.status_change(samples.status_changed(status), CHANGED_AT) is None


@pytest.mark.parametrize("address", [None, "", "not-an-address", "a@b", "x@y.tw\nBcc: z@evil.tw"])
def test_no_mail_without_a_usable_address(composer, address):
    ev = samples.status_changed("approved", email="s@demo.certhub.tw")
    ev.certificate.student.email = address
    assert composer.status_change(ev, CHANGED_AT) is None


def test_links_come_from_the_configured_base_url_only():
    composer = MailComposer(MailTemplates(), "https://certhub.example.edu.tw/portal/")
    mail = composer.status_change(samples.status_changed("approved"), CHANGED_AT)
    assert "https://certhub.example.edu.tw/portal/#/certificates" in mail.text


def test_returned_transfer_mail_without_a_fee_mentions_none(composer):
    mail = composer.transfer_returned(samples.returned(fee=0))
    assert "手續費" not in mail.text and "fee" not in mail.text.partition(ENGLISH_MARK)[2]


def test_a_department_the_registry_does_not_know_is_named_by_its_code(composer):
    names = DepartmentNames({"IM": ("資訊管理學系", "Department of Information Management")})
    mail = composer.reviewer_digest(["IM", "XX"], "rev@demo.certhub.tw", DIGEST, date(2026, 3, 25), names=names)
    assert "資訊管理學系、XX" in mail.subject
    assert "Department of Information Management, XX" in mail.text
