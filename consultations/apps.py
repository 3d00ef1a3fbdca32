from django.apps import AppConfig
from django.db.models.signals import post_migrate, post_save

from consultations.roles import ROLE_PERMISSIONS


class ConsultationsConfig(AppConfig):
    name = "consultations"
    verbose_name = "Consultations"
    # What each role may do with this app's models; gathered by iro_service.core.roles.
    role_permissions = ROLE_PERMISSIONS
    # Panels on other apps' pages; gathered by iro_service.core.panels.
    page_panels = {
        "conference": "consultations.panels.conference_panel",
        "review": "consultations.panels.review_panel",
    }

    def ready(self) -> None:
        from conferences.models import Conference
        from consultations import signals
        from consultations.defaults import question_sets_ensure
        from reviews.models import LacReview, PeriodOfCare, ReviewMeeting

        post_migrate.connect(question_sets_ensure, sender=self, dispatch_uid="consultations-question-sets")
        post_save.connect(signals.meeting_saved, sender=ReviewMeeting, dispatch_uid="consultations-meeting")
        post_save.connect(signals.review_saved, sender=LacReview, dispatch_uid="consultations-review")
        post_save.connect(signals.period_saved, sender=PeriodOfCare, dispatch_uid="consultations-period")
        post_save.connect(
            signals.conference_saved, sender=Conference, dispatch_uid="consultations-conference"
        )
