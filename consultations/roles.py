"""What each role may do with consultations."""

from iro_service.core.roles import Role

# Business support see who has and has not replied; the answers are for the IROs.
_READ = [f"consultations.view_{model}" for model in ("consultation", "questionset", "question")]
_ANSWERS = ["consultations.view_answer"]
# Business support and IROs send the invitations and follow up who has not replied.
_SEND = ["consultations.send_consultation"]
# The IRO service's managers keep the questions.
_MANAGE = ["consultations.change_question", "consultations.change_questionset"]
# A manager may take up a safety notice sent to one of their IROs (when the IRO is away).
_ACKNOWLEDGE_ANY = ["consultations.acknowledge_any_safetynotice"]

ROLE_PERMISSIONS = {
    Role.IRO: [*_READ, *_ANSWERS, *_SEND],
    Role.IRO_MANAGER: [*_READ, *_ANSWERS, *_SEND, *_MANAGE, *_ACKNOWLEDGE_ANY],
    Role.BUSINESS_SUPPORT: [*_READ, *_SEND],
    Role.SENIOR_MANAGER: [],
    Role.API_CLIENT: [],
}
