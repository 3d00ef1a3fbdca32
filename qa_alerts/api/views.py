"""Endpoints for QA alerts, their responses and transitions, and challenge meetings with their
actions. Writes go through qa_alerts.services, so a REST client meets exactly the checks the web
pages apply; every child on a record returned is written to the access log."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action

from conferences import selectors as conferences_selectors
from iro_service.api.viewsets import WRITE_ERRORS, RecordsViewSet, RecordsWriteViewSet
from iro_service.people.codes import JobRole
from iro_service.people.selectors import staff_member_of
from qa_alerts import selectors, services
from qa_alerts.api.serializers import (
    AlertEscalateInput,
    AlertJudgeInput,
    AlertRaiseInput,
    AlertReferInput,
    AlertResolveInput,
    AlertResponseInput,
    AlertResponseSerializer,
    AlertTransitionSerializer,
    ChallengeActionCompleteInput,
    ChallengeActionInput,
    ChallengeActionSerializer,
    ChallengeMeetingInput,
    ChallengeMeetingSerializer,
    QaAlertSerializer,
)
from qa_alerts.filtersets import (
    AlertResponseFilterSet,
    AlertTransitionFilterSet,
    ChallengeActionFilterSet,
    ChallengeMeetingFilterSet,
    QaAlertFilterSet,
)
from qa_alerts.models import (
    AlertChild,
    AlertConcern,
    AlertResponse,
    AlertStage,
    AlertTransition,
    ChallengeAction,
    ChallengeMeeting,
    QaAlert,
)
from reviews import selectors as reviews_selectors

_CHILDREN = Prefetch("children", queryset=AlertChild.objects.order_by("child_id"))


def _alerts():
    return QaAlert.objects.order_by("-raised_on", "-pk").prefetch_related(
        _CHILDREN,
        Prefetch(
            "concerns", queryset=AlertConcern.objects.select_related("category").order_by("category_id")
        ),
        Prefetch("stages", queryset=AlertStage.objects.order_by("number")),
    )


def _not_found(field: str, what: str, pk) -> serializers.ValidationError:
    return serializers.ValidationError({field: [f"There is no {what} with id {pk}."]})


class QaAlertViewSet(RecordsWriteViewSet):
    """QA alerts with the children they are about, their categories and stages. POST raises one;
    POST .../responses/ records a response, .../escalate/, .../refer/ and .../resolve/ move it on
    (send the `version` you read)."""

    serializer_class = QaAlertSerializer
    filterset_class = QaAlertFilterSet
    access_what = "QA alert"
    http_method_names = ["get", "post", "head", "options"]
    # The permissions the web pages check for the same workflows.
    action_permissions = {
        "create": "qa_alerts.add_qaalert",
        "responses": "qa_alerts.record_alert_response",
        "escalate": "qa_alerts.escalate_qaalert",
        "refer": "qa_alerts.escalate_qaalert",
        "resolve": "qa_alerts.escalate_qaalert",
    }

    def get_queryset(self):
        return _alerts()

    def child_ids_of(self, instance):
        return [link.child_id for link in instance.children.all()]

    @extend_schema(request=AlertRaiseInput, responses={201: QaAlertSerializer, **WRITE_ERRORS})
    def create(self, request, *args, **kwargs):
        """Raise an alert (qa_alerts.services.alert_raise); its emails go once it is saved."""
        data = self.input_data(AlertRaiseInput)
        staff = staff_member_of(request.user)
        raised_by = data["raised_by"] or (
            staff if staff is not None and staff.job_role == JobRole.IRO else None
        )
        if raised_by is None:
            raise serializers.ValidationError({"raised_by": ["Give the id of the IRO raising the alert."]})
        review = conference = None
        if data["review"] is not None:
            try:
                review = reviews_selectors.review_with_child(pk=data["review"], user=self.request.user)
            except ObjectDoesNotExist:
                raise _not_found("review", "review", data["review"]) from None
        if data["conference"] is not None:
            try:
                conference = conferences_selectors.conference_for_page(
                    pk=data["conference"], user=self.request.user
                )
            except ObjectDoesNotExist:
                raise _not_found("conference", "conference", data["conference"]) from None
        by_code = {category.code: category for category in selectors.concern_categories()}
        unknown = [code for code in data["categories"] if code not in by_code]
        if unknown:
            raise serializers.ValidationError(
                {"categories": [f"Unknown category key(s): {', '.join(unknown)}."]}
            )
        alert = self.call_service(
            services.alert_raise,
            raised_by=raised_by,
            children=data["children"],
            kind=data["kind"],
            categories=[by_code[code] for code in data["categories"]],
            description=data["description"],
            practitioner_name=data["practitioner_name"],
            practitioner_email=data["practitioner_email"],
            team=data["team"],
            team_manager_name=data["team_manager_name"],
            team_manager_email=data["team_manager_email"],
            raised_on=data["raised_on"],
            review=review,
            conference=conference,
            by=request.user,
        )
        return self.written(alert, created=True)

    @extend_schema(request=AlertResponseInput, responses={200: QaAlertSerializer, **WRITE_ERRORS})
    @action(detail=True, methods=["post"])
    def responses(self, request, pk=None):
        """Record a response received (qa_alerts.services.alert_response_record); one that
        resolves the concern resolves the alert."""
        alert = self.get_object()
        data = self.input_data(AlertResponseInput)
        self.call_service(
            services.alert_response_record,
            alert=alert,
            received_on=data["received_on"],
            responder_name=data["responder_name"],
            summary=data["summary"],
            satisfactory=data["satisfactory"],
            by=request.user,
            seen_updated_at=data["version"],
        )
        return self.written(alert, created=False)

    @extend_schema(request=AlertEscalateInput, responses={200: QaAlertSerializer, **WRITE_ERRORS})
    @action(detail=True, methods=["post"])
    def escalate(self, request, pk=None):
        """Escalate to `to_stage`: the next stage, or a later one with a `reason`
        (qa_alerts.services.alert_escalate)."""
        alert = self.get_object()
        data = self.input_data(AlertEscalateInput)
        version = data.pop("version")
        alert = self.call_service(
            services.alert_escalate, alert=alert, by=request.user, seen_updated_at=version, **data
        )
        return self.written(alert, created=False)

    @extend_schema(request=AlertReferInput, responses={200: QaAlertSerializer, **WRITE_ERRORS})
    @action(detail=True, methods=["post"])
    def refer(self, request, pk=None):
        """Refer to Cafcass (with the child's Children's Guardian) or for independent legal
        advice (with the referral), at any stage (qa_alerts.services.alert_refer)."""
        alert = self.get_object()
        data = self.input_data(AlertReferInput)
        child_ids = [link.child_id for link in alert.children.all()]
        guardian = referral = None
        if data["cafcass_involvement"] is not None:
            guardian = (
                reviews_selectors.guardians_of_children(child_ids=child_ids)
                .filter(pk=data["cafcass_involvement"])
                .first()
            )
            if guardian is None:
                raise serializers.ValidationError(
                    {
                        "cafcass_involvement": [
                            "Give the id of a Children's Guardian of a child on this alert."
                        ]
                    }
                )
        if data["legal_advice_referral"] is not None:
            referral = (
                reviews_selectors.legal_advice_referrals_of_children(child_ids=child_ids)
                .filter(pk=data["legal_advice_referral"])
                .first()
            )
            if referral is None:
                raise serializers.ValidationError(
                    {"legal_advice_referral": ["Give the id of a referral for a child on this alert."]}
                )
        self.call_service(
            services.alert_refer,
            alert=alert,
            kind=data["kind"],
            referred_on=data["referred_on"],
            cafcass_involvement=guardian,
            legal_advice_referral=referral,
            notes=data["notes"],
            by=request.user,
            seen_updated_at=data["version"],
        )
        return self.written(alert, created=False)

    @extend_schema(request=AlertResolveInput, responses={200: QaAlertSerializer, **WRITE_ERRORS})
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        """Resolve the concern with its outcome (qa_alerts.services.alert_resolve)."""
        alert = self.get_object()
        data = self.input_data(AlertResolveInput)
        version = data.pop("version")
        alert = self.call_service(
            services.alert_resolve, alert=alert, by=request.user, seen_updated_at=version, **data
        )
        return self.written(alert, created=False)


class AlertResponseViewSet(RecordsWriteViewSet):
    """Responses to alerts. They are recorded through POST /qa-alerts/{id}/responses/ or come
    through the email link; POST .../judge/ says whether one from the link resolves the concern."""

    serializer_class = AlertResponseSerializer
    filterset_class = AlertResponseFilterSet
    access_what = "QA alert response"
    http_method_names = ["get", "post", "head", "options"]
    action_permissions = {"judge": "qa_alerts.escalate_qaalert"}

    def get_queryset(self):
        return AlertResponse.objects.order_by("alert_id", "received_on", "pk").prefetch_related(
            Prefetch("alert__children", queryset=AlertChild.objects.order_by("child_id"))
        )

    def child_ids_of(self, instance):
        return [link.child_id for link in instance.alert.children.all()]

    @extend_schema(request=AlertJudgeInput, responses={200: AlertResponseSerializer, **WRITE_ERRORS})
    @action(detail=True, methods=["post"])
    def judge(self, request, pk=None):
        """Say whether a response resolves the concern (qa_alerts.services.alert_response_judge)."""
        response = self.get_object()
        data = self.input_data(AlertJudgeInput)
        response = self.call_service(
            services.alert_response_judge,
            response=response,
            satisfactory=data["satisfactory"],
            by=request.user,
            seen_updated_at=data["version"],
        )
        return self.written(response, created=False)


class AlertTransitionViewSet(RecordsViewSet):
    """Every change in every alert's life, with who (none: the nightly job) and when."""

    serializer_class = AlertTransitionSerializer
    filterset_class = AlertTransitionFilterSet
    access_what = "QA alert transition"

    def get_queryset(self):
        return AlertTransition.objects.order_by("alert_id", "at", "pk").prefetch_related(
            Prefetch("alert__children", queryset=AlertChild.objects.order_by("child_id"))
        )

    def child_ids_of(self, instance):
        return [link.child_id for link in instance.alert.children.all()]


def _meetings():
    return ChallengeMeeting.objects.order_by("-held_on", "-pk").prefetch_related(
        Prefetch("alerts", queryset=QaAlert.objects.order_by("pk").prefetch_related(_CHILDREN)),
        "children",
        "themes",
        Prefetch("actions", queryset=ChallengeAction.objects.order_by("due_on", "pk")),
    )


class ChallengeMeetingViewSet(RecordsWriteViewSet):
    """Challenge meetings with the alerts and cases brought, the themes and the actions. POST
    records one, PATCH changes it (send the `version` you read); POST .../actions/ adds an action."""

    serializer_class = ChallengeMeetingSerializer
    filterset_class = ChallengeMeetingFilterSet
    access_what = "Challenge meeting"
    http_method_names = ["get", "post", "patch", "head", "options"]
    action_permissions = {"actions": "qa_alerts.change_challengemeeting"}

    def get_queryset(self):
        return _meetings()

    def child_ids_of(self, instance):
        return [link.child_id for alert in instance.alerts.all() for link in alert.children.all()] + [
            child.pk for child in instance.children.all()
        ]

    def _themes(self, names):
        by_name = {theme.name: theme for theme in selectors.challenge_themes()}
        unknown = [name for name in names if name not in by_name]
        if unknown:
            raise serializers.ValidationError({"themes": [f"Unknown theme(s): {'; '.join(unknown)}."]})
        return [by_name[name] for name in names]

    @extend_schema(request=ChallengeMeetingInput, responses={201: ChallengeMeetingSerializer, **WRITE_ERRORS})
    def create(self, request, *args, **kwargs):
        """Record a challenge meeting (qa_alerts.services.challenge_meeting_save)."""
        data = self.input_data(ChallengeMeetingInput)
        data.pop("version", None)
        meeting = self.call_service(
            services.challenge_meeting_save,
            held_on=data["held_on"],
            attendees=data["attendees"],
            alerts=data["alerts"],
            children=data["cases"],
            themes=self._themes(data["themes"]),
            notes=data["notes"],
        )
        return self.written(meeting, created=True)

    @extend_schema(request=ChallengeMeetingInput, responses={200: ChallengeMeetingSerializer, **WRITE_ERRORS})
    def partial_update(self, request, *args, **kwargs):
        """Change a meeting; fields not sent keep their values. Refused (409) if it changed since
        the `version` sent."""
        meeting = self.get_object()
        data = self.input_data(ChallengeMeetingInput, instance=meeting)
        version = self.pop_version(data)
        current = {
            "held_on": meeting.held_on,
            "attendees": meeting.attendees,
            "alerts": list(meeting.alerts.all()),
            "cases": list(meeting.children.all()),
            "themes": list(meeting.themes.all()),
            "notes": meeting.notes,
        }
        if "themes" in data:
            data["themes"] = self._themes(data["themes"])
        merged = {**current, **data}
        meeting = self.call_service(
            services.challenge_meeting_save,
            meeting=meeting,
            seen_updated_at=version,
            held_on=merged["held_on"],
            attendees=merged["attendees"],
            alerts=merged["alerts"],
            children=merged["cases"],
            themes=merged["themes"],
            notes=merged["notes"],
        )
        return self.written(meeting, created=False)

    @extend_schema(request=ChallengeActionInput, responses={201: ChallengeMeetingSerializer, **WRITE_ERRORS})
    @action(detail=True, methods=["post"])
    def actions(self, request, pk=None):
        """Add an action agreed at the meeting (qa_alerts.services.challenge_action_add)."""
        meeting = self.get_object()
        data = self.input_data(ChallengeActionInput)
        self.call_service(services.challenge_action_add, meeting=meeting, **data)
        return self.written(meeting, created=True)


class ChallengeActionViewSet(RecordsWriteViewSet):
    """Actions agreed at challenge meetings. POST .../complete/ records that one was done."""

    serializer_class = ChallengeActionSerializer
    filterset_class = ChallengeActionFilterSet
    access_what = "Challenge meeting action"
    http_method_names = ["get", "post", "head", "options"]
    action_permissions = {"complete": "qa_alerts.change_challengemeeting"}

    def get_queryset(self):
        return ChallengeAction.objects.order_by("due_on", "pk")

    def child_ids_of(self, instance):
        return []  # an action names an owner and a task, not a child

    @extend_schema(
        request=ChallengeActionCompleteInput, responses={200: ChallengeActionSerializer, **WRITE_ERRORS}
    )
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        """Record the date an action was completed (qa_alerts.services.challenge_action_complete)."""
        action_row = self.get_object()
        data = self.input_data(ChallengeActionCompleteInput)
        action_row = self.call_service(services.challenge_action_complete, action=action_row, **data)
        return self.written(action_row, created=False)
