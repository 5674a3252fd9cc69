"""The markings reference: every classification scheme with its equivalences, the compartments, caveats, TLP,
PAP, handling codes and the evaluation codes, for every user (vocabularies, no protected content)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from liaison.policy.classification import equivalence_table
from liaison.policy.markings import (
    ADMIRALTY_TO_EUROPOL_INFORMATION,
    ADMIRALTY_TO_EUROPOL_SOURCE,
    PAP,
    TLP,
    EuropolInformation,
    EuropolSource,
    HandlingCode,
    InformationCredibility,
    SourceReliability,
)
from liaison.policy.models import Caveat, ClassificationScheme, Compartment


@login_required
def markings_view(request: HttpRequest) -> HttpResponse:
    europol_source = dict(EuropolSource.choices)
    europol_info = dict(EuropolInformation.choices)
    schemes = list(ClassificationScheme.objects.prefetch_related("levels"))  # read once, for both tables
    return render(
        request,
        "home/markings.html",
        {
            "schemes": schemes,
            "equivalences": equivalence_table(schemes),
            "compartments": Compartment.objects.all(),
            "caveats": Caveat.objects.all(),
            "tlp": TLP.choices,
            "pap": PAP.choices,
            "handling": HandlingCode.choices,
            "reliability": [
                (label, europol_source[ADMIRALTY_TO_EUROPOL_SOURCE[v]]) for v, label in SourceReliability.choices
            ],
            "credibility": [
                (label, europol_info[ADMIRALTY_TO_EUROPOL_INFORMATION[v]])
                for v, label in InformationCredibility.choices
            ],
        },
    )
