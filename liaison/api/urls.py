from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.routers import SimpleRouter

from liaison.api import (
    followup_views,
    ledger_views,
    notification_views,
    package_views,
    release_views,
    token_views,
    views,
)

app_name = "api"

router = SimpleRouter(use_regex_path=False)
router.register("partners", views.PartnerViewSet, basename="partner")
router.register("exchanges", views.ExchangeViewSet, basename="exchange")
router.register("items", views.ItemViewSet, basename="item")
router.register("reports", views.ReportViewSet, basename="report")
# Releases to partners: release requests, consents, consent requests, tearlines.
router.register("releases", release_views.ReleaseViewSet, basename="release")
router.register("consents", release_views.ConsentViewSet, basename="consent")
router.register("consent-requests", release_views.ConsentRequestViewSet, basename="consent-request")
router.register("tearlines", release_views.TearlineViewSet, basename="tearline")
# Follow-ups and requests for information.
router.register("followups", followup_views.FollowUpViewSet, basename="followup")

# Notifications.
router.register("notifications", notification_views.NotificationViewSet, basename="notification")


urlpatterns = [
    path("v1/", include(router.urls)),
    # The OpenAPI description as YAML (default) or JSON (?format=json); no Swagger UI, which needs CDN assets.
    path("v1/schema/", SpectacularAPIView.as_view(permission_classes=[IsAuthenticated]), name="schema"),
    path("tokens/", token_views.token_list_view, name="tokens"),
    path("tokens/new/", token_views.token_create_view, name="token_create"),
    path("tokens/<uuid:pk>/revoke/", token_views.token_revoke_view, name="token_revoke"),
    # Release packages and recall messages: downloads for readers of the release.
    path("v1/releases/<uuid:pk>/package.pdf", package_views.PackagePdfView.as_view(), name="release-package-pdf"),
    path(
        "v1/releases/<uuid:pk>/manifest.json",
        package_views.PackageManifestView.as_view(),
        name="release-package-manifest",
    ),
    path(
        "v1/releases/<uuid:pk>/manifest.json.sig",
        package_views.PackageSignatureView.as_view(),
        name="release-package-signature",
    ),
    path("v1/releases/<uuid:pk>/recall.json", package_views.RecallMessageView.as_view(), name="release-recall-message"),
    path(
        "v1/releases/<uuid:pk>/recall.json.sig",
        package_views.RecallSignatureView.as_view(),
        name="release-recall-message-signature",
    ),
    # The reciprocity ledger: office-wide and per partner.
    path("v1/ledger/", ledger_views.LedgerOfficeView.as_view(), name="ledger"),
    path("v1/ledger/<uuid:pk>/", ledger_views.LedgerPartnerView.as_view(), name="ledger-partner"),
]
