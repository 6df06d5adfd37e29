"""The automatic rules (docs/product.md, "Review tracks"), each a pure function giving a checklist line
with its reason."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from certhub_kit.scans import hamming

from .academic_year import add_months
from .item import Flag, ReviewItem, RuleResult
from .rule_config import RuleConfig
from .tracks import Track

RECOGNISED, WINDOW, THRESHOLD, BUNDLE, DUPLICATES = (
    "recognised",
    "reporting_window",
    "dept_threshold",
    "bundle",
    "duplicates",
)


@dataclass(frozen=True)
class OtherCertificate:
    """Another certificate in the queue that may duplicate this one."""

    certificate_id: str
    student_id: str
    certificate_no: str | None = None
    scan_phash: str | None = None
    dept: str | None = None


@dataclass
class Evidence:
    """What the rules need beyond the item itself, gathered by the service layer."""

    others: list[OtherCertificate] = field(default_factory=list)
    bundle_passed: int = 0  # members of the item's bundle already passed (not counting this item)
    bundle_complete: bool = False


def recognised(item: ReviewItem, track: Track) -> RuleResult:
    if track.recognised is None:
        return RuleResult(RECOGNISED, True, "此審核流程認可所有證照", "Every entry is recognised on this track")
    if track.recognises(item.entry_key):
        return RuleResult(
            RECOGNISED, True, f"「{item.entry_name}」在認可清單內", f"{item.entry_name} is on the recognised list"
        )
    return RuleResult(
        RECOGNISED,
        False,
        f"「{item.entry_name}」不在認可的證照清單內",
        f"{item.entry_name} is not on the recognised list",
    )


def reporting_window(item: ReviewItem, config: RuleConfig) -> RuleResult:
    months, since = config.reporting_window_months, config.window_applies_from
    if item.issued_on < since:
        return RuleResult(
            WINDOW,
            True,
            f"{since.isoformat()} 以前發證，不受 {months} 個月通報期限限制",
            f"Issued before {since.isoformat()}: the {months}-month window does not apply",
        )
    deadline = add_months(item.issued_on, months)
    if item.reported_on <= deadline:
        return RuleResult(
            WINDOW,
            True,
            f"已於發證後 {months} 個月內通報（期限 {deadline.isoformat()}）",
            f"Reported within {months} months of issue (deadline {deadline.isoformat()})",
        )
    return RuleResult(
        WINDOW,
        False,
        f"通報日 {item.reported_on.isoformat()} 超過發證日後 {months} 個月（期限 {deadline.isoformat()}）",
        f"Reported on {item.reported_on.isoformat()}, more than {months} months after issue "
        f"(deadline {deadline.isoformat()})",
    )


def dept_names(item: ReviewItem, config: RuleConfig) -> tuple[str, str]:
    """The item's department in words (the registry's names; the code when it has none)."""
    if not item.dept:
        return "未知系所", "an unknown department"
    zh, en = config.dept_names.get(item.dept, (item.dept, item.dept))
    return zh, en or zh


def dept_threshold(item: ReviewItem, config: RuleConfig) -> RuleResult:
    accepted = config.dept_thresholds.get(item.dept or "")
    zh, en = dept_names(item, config)
    if accepted is None:
        return RuleResult(
            THRESHOLD, True, f"{zh}尚未設定畢業門檻清單，不檢查", f"No graduation threshold list for {en}; not checked"
        )
    if item.entry_key in accepted:
        return RuleResult(THRESHOLD, True, "符合系所畢業門檻", "Counts for the department's graduation threshold")
    return RuleResult(
        THRESHOLD,
        False,
        f"「{item.entry_name}」不在{zh}的畢業門檻清單內",
        f"{item.entry_name} does not count for the graduation threshold of {en}",
    )


def bundle(item: ReviewItem, track: Track, evidence: Evidence) -> RuleResult | None:
    """None when the entry is in no bundle of this track."""
    size = track.bundle_size(item.bundle)
    if size is None:
        return None
    have = evidence.bundle_passed + 1
    if evidence.bundle_complete or have >= size:
        return RuleResult(
            BUNDLE,
            True,
            f"{item.bundle} 套組已達 {size} 張（含本張）",
            f"The {item.bundle} bundle reaches {size} passing entries with this one",
            blocking=False,
        )
    return RuleResult(
        BUNDLE,
        False,
        f"{item.bundle} 套組需 {size} 張通過，含本張目前 {have} 張；通過前為再審中",
        f"The {item.bundle} bundle needs {size} passing entries; {have} with this one (rereview until then)",
        blocking=False,
    )


# A reviewer is shown the nearest duplicates (same certificate number first, then the closest scans).
# A scan that resembles hundreds of others is a template, not a copy; and flags go both ways, so
# without a bound every new look-alike would re-check all the earlier ones (quadratic in April).
MAX_DUPLICATES = 20

# The 64-bit scan hash cut into 7 bands (10 + 6 × 9 bits, from the top). Two hashes at most 6 bits apart
# differ in at most 6 bands, so they share one exactly: near scans are found through an index of bands
# instead of comparing with every stored scan. Each band is stored as ``position * 1024 + value``.
PHASH_BANDS = ((0, 10), (10, 9), (19, 9), (28, 9), (37, 9), (46, 9), (55, 9))
BANDED_UP_TO = len(PHASH_BANDS) - 1


def phash_bands(phash: str) -> list[int]:
    value = int(phash, 16)
    return [
        n * 1024 + ((value >> (64 - start - size)) & ((1 << size) - 1)) for n, (start, size) in enumerate(PHASH_BANDS)
    ]


def duplicate_flags(item: ReviewItem, others: list[OtherCertificate], threshold: int) -> list[Flag]:
    flags: list[Flag] = []
    mine = str(item.certificate_id)
    for other in others:
        if other.certificate_id == mine:
            continue
        if item.certificate_no and other.certificate_no and _same_number(item.certificate_no, other.certificate_no):
            flags.append(
                Flag(
                    "duplicate_certificate_no",
                    f"證號 {item.certificate_no} 與另一張證照相同",
                    f"Certificate number {item.certificate_no} is also on another certificate",
                    other.certificate_id,
                    other.dept,
                )
            )
        if (
            item.scan_phash
            and other.scan_phash
            and other.student_id != item.student_id
            and hamming(item.scan_phash, other.scan_phash) <= threshold
        ):
            flags.append(
                Flag(
                    "similar_scan",
                    "影本與其他學生的影本極為相似",
                    "The scan closely matches another student's scan",
                    other.certificate_id,
                    other.dept,
                )
            )
    return flags


def _same_number(a: str, b: str) -> bool:
    return a.strip().upper() == b.strip().upper()


def duplicates(flags: Sequence[Flag | dict]) -> RuleResult:
    if not flags:
        return RuleResult(DUPLICATES, True, "未發現重複的證號或相似影本", "No duplicate number or similar scan found")
    return RuleResult(
        DUPLICATES,
        False,
        f"發現 {len(flags)} 筆疑似重複，請審核人員確認",
        f"{len(flags)} possible duplicate(s) flagged for the reviewer",
    )


def evaluate(
    item: ReviewItem, track: Track, config: RuleConfig, evidence: Evidence
) -> tuple[list[RuleResult], list[Flag]]:
    """Every rule, in the order reviewers read them; duplicates are flags, never a rejection."""
    flags = duplicate_flags(item, evidence.others, config.phash_threshold)
    results = [recognised(item, track), reporting_window(item, config), dept_threshold(item, config)]
    bundled = bundle(item, track, evidence)
    if bundled is not None:
        results.append(bundled)
    results.append(duplicates(flags))
    return results, flags
