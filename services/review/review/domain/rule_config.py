"""Rule configuration, versioned by academic year: an item is judged by the version of the
year it was submitted in (or the latest earlier version)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from certhub_kit.errors import Invalid


@dataclass(frozen=True)
class RuleConfig:
    academic_year: int | None = None  # None = the built-in defaults
    reporting_window_months: int = 6
    window_applies_from: date = date(2014, 2, 1)
    phash_threshold: int = 6
    dept_thresholds: dict[str, tuple[str, ...]] = field(default_factory=dict)  # dept → accepted entry keys
    # dept → (zh-TW, English) from the department registry, for the rule texts (not saved with the rules)
    dept_names: dict[str, tuple[str, str]] = field(default_factory=dict, compare=False)

    def validated(self) -> RuleConfig:
        if not 1 <= self.reporting_window_months <= 120:
            raise Invalid(
                "通報期限需介於 1 到 120 個月", "The reporting window must be 1 to 120 months", code="invalid_window"
            )
        if not 0 <= self.phash_threshold <= 32:
            raise Invalid(
                "相似影像門檻需介於 0 到 32", "The scan similarity threshold must be 0 to 32", code="invalid_threshold"
            )
        if self.academic_year is not None and not 50 <= self.academic_year <= 300:
            raise Invalid(
                "學年度需為民國年（例如 113）", "The academic year must be an ROC year (e.g. 113)", code="invalid_year"
            )
        return self


DEFAULT_RULES = RuleConfig()


def config_for_year(versions: list[RuleConfig], year: int) -> RuleConfig:
    """The version of ``year``, else the latest earlier one, else the defaults."""
    earlier = [v for v in versions if v.academic_year is not None and v.academic_year <= year]
    return max(earlier, key=lambda v: v.academic_year or 0) if earlier else DEFAULT_RULES
