"""The notify service's collaborators besides the unit of work, built once per process in bootstrap.py
(``runtime.deps``)."""

from __future__ import annotations

from dataclasses import dataclass

from certhub_kit.polling import Wake

from ..adapters.smtp import CapturingTransport, SmtpTransport
from ..domain.delivery import RetryPolicy
from .composer import MailComposer


@dataclass
class NotifyDeps:
    composer: MailComposer
    transport: SmtpTransport | CapturingTransport
    retry_policy: RetryPolicy
    wake: Wake
    """Set after a commit that recorded mail: the sender looks again at once."""
