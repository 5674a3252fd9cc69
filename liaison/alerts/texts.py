"""The plain-words explanation of an alert, in the reader's language, built from the figures the rule recorded
(never from protected content)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from liaison.alerts.models import AlertRule

if TYPE_CHECKING:
    from liaison.alerts.models import Alert


def explain(alert: Alert) -> str:
    facts: dict[str, Any] = {
        "count": 0,
        "threshold": 0,
        "baseline": 0,
        "days": 0,
        "minutes": 0,
        "hours": "",
        "value": "",
        **(alert.facts or {}),
    }
    alias = alert.user.alias
    rule = alert.rule
    if rule == AlertRule.READ_VOLUME:
        return _(
            "%(alias)s opened protected objects %(count)s times in the day, above the alert threshold of "
            "%(threshold)s; over the previous %(days)s days their busiest usual day (95th percentile) was "
            "%(baseline)s."
        ) % {"alias": alias, **facts}
    if rule == AlertRule.EXPORT_VOLUME:
        return _(
            "%(alias)s exported %(count)s times in the day, above the alert threshold of %(threshold)s; over the "
            "previous %(days)s days their busiest usual day (95th percentile) was %(baseline)s."
        ) % {"alias": alias, **facts}
    if rule == AlertRule.REFUSALS:
        return ngettext(
            "%(alias)s was refused access %(count)s times within %(minutes)s minute (alert from %(threshold)s).",
            "%(alias)s was refused access %(count)s times within %(minutes)s minutes (alert from %(threshold)s).",
            facts["minutes"],
        ) % {"alias": alias, **facts}
    if rule == AlertRule.OFF_HOURS:
        return _(
            "%(alias)s opened %(count)s protected objects outside their usual hours (usual hours: %(hours)s; alert "
            "from %(threshold)s in a day)."
        ) % {"alias": alias, **facts}
    if rule == AlertRule.LOOKUPS:
        return ngettext(
            "%(alias)s looked up %(count)s distinct objects (read or refused) within %(minutes)s minute (alert from "
            "%(threshold)s).",
            "%(alias)s looked up %(count)s distinct objects (read or refused) within %(minutes)s minutes (alert from "
            "%(threshold)s).",
            facts["minutes"],
        ) % {"alias": alias, **facts}
    if rule == AlertRule.ADMIN_NEW_DEVICE:
        return _(
            "Administrator %(alias)s logged in from a device (browser) not seen in their logins of the previous "
            "%(days)s days: %(value)s."
        ) % {"alias": alias, **facts}
    if rule == AlertRule.ADMIN_NEW_ADDRESS:
        return _(
            "Administrator %(alias)s logged in from an address not seen in their logins of the previous %(days)s "
            "days: %(value)s."
        ) % {"alias": alias, **facts}
    summary = facts.get("summary")
    if summary:  # a rule of another app that words its own finding
        return str(summary)
    return _("%(alias)s: %(rule)s.") % {"alias": alias, "rule": alert.get_rule_display()}
