"""The emails of evaluations: a personal link to answer."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from navet.evaluations.models import Invitation, Questionnaire


def answer_link(invitation: Invitation) -> str:
    return settings.NAVET_BASE_URL + reverse("evaluations:answer", args=[invitation.token])


def answer_subject(questionnaire: Questionnaire) -> str:
    if questionnaire.kind == Questionnaire.Kind.SURVEY:
        return _("The member survey %(year)s") % {"year": questionnaire.survey_year}
    return _("What did you think of %(title)s?") % {"title": questionnaire.title}


def send_answer_link(*, invitation: Invitation, subject: str, body: str) -> None:
    """Send one prepared message (call through transaction.on_commit)."""
    if invitation.person is not None and invitation.person.email:
        send_mail(subject, body, None, [invitation.person.email])


def answer_link_message(invitation: Invitation) -> tuple[str, str]:
    """The subject and body of the message with the personal link, in the active language."""
    questionnaire = invitation.questionnaire
    body = render_to_string(
        "evaluations/email/answer_link.txt",
        {
            "person": invitation.person,
            "questionnaire": questionnaire,
            "is_survey": questionnaire.kind == Questionnaire.Kind.SURVEY,
            "link": answer_link(invitation),
        },
    )
    return answer_subject(questionnaire), body
