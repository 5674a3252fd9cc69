"""The concerns' pages as a colleague and the security office use them: a requester sees only their own concerns
and the published answers, bad input gives form errors, and the published page never identifies anyone."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from liaison.concerns.models import Concern, ConcernStatus
from liaison.testing.cast import Cast
from liaison.testing.matrix import login_as
from liaison.testing.matrix_concerns import NEW, alices_concern


def test_a_colleague_without_a_role_raises_a_concern_with_their_service_pre_filled(cast: Cast, client: Client) -> None:
    login_as(client, cast.ivy)
    form = client.get(reverse("concerns:create")).content.decode()
    assert 'value="POST"' in form  # the name of ivy's service
    response = client.post(reverse("concerns:create"), NEW)
    concern = Concern.objects.get(requester=cast.ivy)
    assert response.status_code == 302 and response["Location"] == reverse("concerns:detail", args=[concern.pk])
    html = client.get(reverse("concerns:detail", args=[concern.pk])).content.decode()
    assert concern.reference in html and "Laptop left in a taxi" in html and "submitted" in html


def test_a_requester_lists_only_their_own_concerns(cast: Cast, client: Client) -> None:
    alices = alices_concern(cast)
    login_as(client, cast.ivy)
    client.post(reverse("concerns:create"), NEW)
    html = client.get(reverse("concerns:mine")).content.decode()
    assert "Laptop left in a taxi" in html and alices.reference not in html and "Odd invitation" not in html
    assert client.get(reverse("concerns:detail", args=[alices.pk])).status_code == 404


def test_the_requester_reads_severity_and_answer_once_given(cast: Cast, client: Client) -> None:
    concern = alices_concern(cast, "submitted")
    login_as(client, cast.alice)
    assert "Severity" not in client.get(reverse("concerns:detail", args=[concern.pk])).content.decode()
    concern = alices_concern(cast, "answered")
    html = client.get(reverse("concerns:detail", args=[concern.pk])).content.decode()
    assert "medium" in html and "we blocked the domain" in html and "advice given" in html.lower()
    handling = [reverse(f"concerns:{step}", args=[concern.pk]) for step in ("close", "publish")]
    assert all(url not in html for url in handling)  # the requester has no handling form


def test_the_published_page_shows_the_question_and_answer_and_nothing_that_identifies(
    cast: Cast, client: Client
) -> None:
    concern = alices_concern(cast, "published")
    login_as(client, cast.ivy)
    html = client.get(reverse("concerns:published")).content.decode()
    assert "Is an unknown conference invitation safe?" in html and "No: report it." in html
    for secret in (concern.reference, "ALICE", "Bureau of international cooperation", "Odd invitation", "GRACE"):
        assert secret not in html


def test_bad_input_gives_form_errors_and_writes_nothing(cast: Cast, client: Client) -> None:
    login_as(client, cast.ivy)
    for bad in ({"subject": ""}, {"subject": "x" * 201}, {"description": "a\x00b"}, {"category": "nonsense"}):
        response = client.post(reverse("concerns:create"), NEW | bad)
        assert response.status_code == 400 and 'class="error"' in response.content.decode()
    assert not Concern.objects.exists()


def test_the_security_officer_triages_answers_and_publishes_from_the_pages(cast: Cast, client: Client) -> None:
    concern = alices_concern(cast)
    login_as(client, cast.grace)
    url = reverse("concerns:detail", args=[concern.pk])
    assert "Triage" in client.get(url).content.decode()
    client.post(reverse("concerns:triage", args=[concern.pk]), {"triage-severity": "high", "triage-owner": "GRACE"})
    empty = client.post(
        reverse("concerns:answer", args=[concern.pk]), {"answer-outcome": "advice", "answer-answer": ""}
    )
    assert empty.status_code == 400
    client.post(
        reverse("concerns:answer", args=[concern.pk]),
        {"answer-outcome": "advice", "answer-answer": "Delete it and tell us."},
    )
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.ANSWERED and concern.severity == "high"
    form = client.get(reverse("concerns:publish", args=[concern.pk])).content.decode()
    assert "Odd invitation" in form and "Delete it and tell us." in form  # pre-filled from subject and answer
    leak = client.post(
        reverse("concerns:publish", args=[concern.pk]), {"question": "ALICE got an odd invitation", "answer": "x"}
    )
    assert leak.status_code == 400 and "would identify the requester" in leak.content.decode()
    concern.refresh_from_db()
    assert not concern.is_published


def test_the_auditor_reads_every_concern_without_handling_forms(cast: Cast, client: Client) -> None:
    concern = alices_concern(cast, "triaged")
    login_as(client, cast.erin)
    assert concern.reference in client.get(reverse("concerns:queue")).content.decode()
    html = client.get(reverse("concerns:detail", args=[concern.pk])).content.decode()
    assert "Odd invitation" in html and "answer-answer" not in html and "triage-severity" not in html


def test_the_queue_filters_and_counts(cast: Cast, client: Client) -> None:
    alices_concern(cast, "submitted")
    answered = alices_concern(cast, "answered")
    login_as(client, cast.grace)
    url = reverse("concerns:queue")
    assert answered.reference in client.get(url, {"status": "answered"}).content.decode()
    submitted_only = client.get(url, {"status": "submitted"}).content.decode()
    assert answered.reference not in submitted_only
    assert answered.reference not in client.get(url, {"severity": "high"}).content.decode()
    assert answered.reference in client.get(url, {"handler": str(cast.grace.pk)}).content.decode()
    assert client.get(url, {"status": "x\x00", "handler": "nonsense", "period": "-1", "page": "z"}).status_code == 200
    assert "Response times" in submitted_only


def test_the_requester_is_notified_of_the_answer_with_a_link_to_their_concern(cast: Cast, client: Client) -> None:
    concern = alices_concern(cast, "answered")
    login_as(client, cast.alice)
    html = client.get(reverse("notifications:list")).content.decode()
    assert concern.reference in html and reverse("concerns:detail", args=[concern.pk]) in html


def test_a_handling_page_answers_404_to_a_colleague_whatever_the_method(cast: Cast, client: Client) -> None:
    concern = alices_concern(cast)
    login_as(client, cast.alice)
    for step in ("triage", "answer", "close", "publish", "unpublish"):
        assert client.get(reverse(f"concerns:{step}", args=[concern.pk])).status_code == 404
    login_as(client, cast.grace)
    assert client.get(reverse("concerns:close", args=[concern.pk])).status_code == 405
