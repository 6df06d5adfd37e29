"""Jinja2 mail templates (package data under ``notify/templates/``): zh-TW first, English below.

Every template ``<name>`` has ``<name>.txt`` (plain text, which also defines the
``subject`` block) and ``<name>.html`` (autoescaped). Filters put dates in Taipei
time and years in the ROC calendar.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from ..domain import calendar
from ..domain.mail import STATUS_LABELS, TEMPLATES


@dataclass(frozen=True)
class RenderedMail:
    subject: str
    text: str
    html: str


def _status_zh(code: str) -> str:
    return STATUS_LABELS.get(code, (code, code))[0]


def _status_en(code: str) -> str:
    return STATUS_LABELS.get(code, (code, code))[1]


def _money(amount: int) -> str:
    return f"NT$ {amount:,}"


class MailTemplates:
    def __init__(self) -> None:
        self.env = Environment(
            loader=PackageLoader("notify", "templates"),
            autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            auto_reload=False,  # package data does not change under a running process: no stat per mail
        )
        self.env.filters.update(
            date_zh=calendar.date_zh,
            date_en=calendar.date_en,
            datetime_zh=calendar.datetime_zh,
            datetime_en=calendar.datetime_en,
            year_zh=calendar.academic_year_zh,
            year_en=calendar.academic_year_en,
            status_zh=_status_zh,
            status_en=_status_en,
            money=_money,
        )

    def render(self, name: str, context: dict[str, Any]) -> RenderedMail:
        if name not in TEMPLATES:
            raise KeyError(f"unknown mail template {name!r}")
        text_template = self.env.get_template(f"{name}.txt")
        text = text_template.render(context)
        subject_block = text_template.blocks["subject"]
        subject = "".join(subject_block(text_template.new_context(context))).strip()
        html = self.env.get_template(f"{name}.html").render(context)
        return RenderedMail(subject=" ".join(subject.split()), text=text, html=html)
