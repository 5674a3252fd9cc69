"""What a notification may be about: each target model with the field that titles it and the page that shows it.
A model joins by one line here; the selector then names its objects only to recipients who may read them: through
the read rule for a marked object, through the policy function `restrict` names for any other target."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils.module_loading import import_string

from liaison.policy.access import visible_to
from liaison.policy.models import MarkedModel


@dataclass(frozen=True)
class Target:
    model_label: str  # "app_label.ModelName"
    title_field: str
    url_name: str  # takes the object's pk
    restrict: str = ""  # a policy function (queryset, user) -> queryset for a target that is not marked

    @property
    def model(self) -> type[Model]:
        return apps.get_model(self.model_label)

    @property
    def is_marked(self) -> bool:
        return issubclass(self.model, MarkedModel)

    def readable(self, qs: QuerySet[Any], user: Any) -> QuerySet[Any]:
        """`qs` narrowed to the targets `user` may be told about."""
        if self.restrict:
            restricted: QuerySet[Any] = import_string(self.restrict)(qs, user)
            return restricted
        return visible_to(qs, user)

    @property
    def content_type(self) -> ContentType:
        return ContentType.objects.get_for_model(self.model)


TARGETS: list[Target] = [
    Target("reports.Report", "title", "reports:detail"),
    Target("followup.FollowUp", "title", "followup:detail"),
    Target("reviews.ReviewCampaign", "name", "reviews:mine_in"),
    Target(
        "breakglass.BreakGlassRequest",
        "reference",
        "breakglass:detail",
        restrict="liaison.policy.breakglass.break_glass_requests_visible_to",
    ),
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


def target_for_model(model: type[Model]) -> Target:
    label = model._meta.label
    for target in TARGETS:
        if target.model_label == label:
            return target
    raise LookupError(f"{label} is not a notification target (add it to liaison/notifications/targets.py)")
