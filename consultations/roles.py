"""What each role may do with consultations."""

from iro_service.core.roles import Role

# Business support see who has and has not replied; the answers are for the IROs.
_READ = [f"consultations.view_{model}" for model in ("consultation", "questionset", "question")]
_ANSWERS = ["consultations.view_answer"]
# Business support and IROs send the invitations and follow up who has not replied.
_SEND = ["consultations.send_consultation"]
# The IRO service's managers keep the questions.
_MANAGE = ["consultations.change_question", "consultations.change_questionset"]

ROLE_PERMISSIONS = {
    Role.IRO: [*_READ, *_ANSWERS, *_SEND],
    Role.IRO_MANAGER: [*_READ, *_ANSWERS, *_SEND, *_MANAGE],
    Role.BUSINESS_SUPPORT: [*_READ, *_SEND],
    Role.SENIOR_MANAGER: [],
    Role.API_CLIENT: [],
}
