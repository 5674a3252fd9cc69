"""What a notification may be about: each target model with the field that titles it and the page that shows it.
A model joins by one line here; the selector then names its objects only to recipients who may read them: through
the read rule for a marked object, through the policy function `readable_by` names for any other target."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, QuerySet
from django.urls import NoReverseMatch, reverse

from liaison.policy.access import visible_to
from liaison.policy.models import MarkedModel


@dataclass(frozen=True)
class Target:
    model_label: str  # "app_label.ModelName"
    title_field: str
    url_name: str  # takes the object's pk
    # Who may read a target: the read rule (`visible_to`) for marked content; a model that is not content (an
    # alert) names its own filter, decided by role. A target with its own filter carries no marking.
    readable_by: Callable[[QuerySet[Any], Any], QuerySet[Any]] | None = None
    # How a stored title field reads in the page (e.g. a rule's code shown as its translated label).
    display: Callable[[str], str] | None = None

    @property
    def model(self) -> type[Model]:
        return apps.get_model(self.model_label)

    @property
    def is_marked(self) -> bool:
        return issubclass(self.model, MarkedModel)

    def readable(self, objects: QuerySet[Any], user: Any) -> QuerySet[Any]:
        return visible_to(objects, user) if self.readable_by is None else self.readable_by(objects, user)

    @property
    def content_type(self) -> ContentType:
        return ContentType.objects.get_for_model(self.model)


def _alert_readers(objects: QuerySet[Any], user: Any) -> QuerySet[Any]:
    from liaison.alerts.selectors import alerts_readable

    return alerts_readable(objects, user)


def _alert_rule_label(code: str) -> str:
    from liaison.alerts.models import AlertRule

    return str(dict(AlertRule.choices).get(code, code))


def _breakglass_readers(objects: QuerySet[Any], user: Any) -> QuerySet[Any]:
    from liaison.policy.breakglass import break_glass_requests_visible_to

    return break_glass_requests_visible_to(objects, user)


def _concern_readers(objects: QuerySet[Any], user: Any) -> QuerySet[Any]:
    from liaison.concerns.selectors import concerns_readable

    return concerns_readable(objects, user)


TARGETS: list[Target] = [
    Target("reports.Report", "title", "reports:detail"),
    Target("followup.FollowUp", "title", "followup:detail"),
    Target("reviews.ReviewCampaign", "name", "reviews:mine_in"),
    Target("breakglass.BreakGlassRequest", "reference", "breakglass:detail", readable_by=_breakglass_readers),
    Target("alerts.Alert", "rule", "alerts:detail", readable_by=_alert_readers, display=_alert_rule_label),
    Target("concerns.Concern", "reference", "concerns:detail", readable_by=_concern_readers),
]


def target_url(content_type_id: int, object_id: Any) -> str:
    """The page of a target (only ever linked for a recipient who may read it)."""
    for target in TARGETS:
        if target.content_type.pk == content_type_id:
            try:
                return reverse(target.url_name, args=[object_id])
            except NoReverseMatch:  # the target's app has no page for it (yet)
                return ""
    return ""


def target_title(content_type_id: int, title: str | None) -> str | None:
    """A target's title as the page shows it (None stays None: the reader may not read the target)."""
    if title is None:
        return None
    for target in TARGETS:
        if target.display is not None and target.content_type.pk == content_type_id:
            return target.display(title)
    return title


def target_for_model(model: type[Model]) -> Target:
    label = model._meta.label
    for target in TARGETS:
        if target.model_label == label:
            return target
    raise LookupError(f"{label} is not a notification target (add it to liaison/notifications/targets.py)")
