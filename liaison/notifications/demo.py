"""The demo office's notifications: the reminder sweep run once over the finished demo, so each officer opens
Liaison with the notices a real morning would bring (reports to review, to acknowledge, follow-ups due)."""

from __future__ import annotations

from liaison.notifications.sweep import reminder_sweep


def load_notifications_demo() -> dict[str, int]:
    result = reminder_sweep()
    return {"notifications": sum(result.created.values())}
