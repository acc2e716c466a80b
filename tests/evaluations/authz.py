"""Authorisation expectations for evaluations and the member survey (see tests/authz.py).

Everything is for the network's coordinators (and platform admins), except the answer page,
which anyone with the personal link may use without logging in, and a meeting evaluation's
results, which members of the network may read (aggregates and chosen quotes only).
"""

from typing import Any

from navet.accounts.models import User
from navet.evaluations import services
from navet.evaluations.models import Answer, Questionnaire
from tests.authz import MANAGERS, Expectation, everyone, only
from tests.evaluations.helpers import answer_all, attend, make_meeting

EXPECTED: dict[str, tuple[str, Expectation]] = {
    "evaluations:index": ("get", only(MANAGERS)),
    "evaluations:template_edit": ("get", only(MANAGERS)),
    "evaluations:evaluation_open": ("post", only(MANAGERS, status=302)),
    "evaluations:evaluation_aggregates": ("get", only(MANAGERS)),
    "evaluations:results": ("get", only([*MANAGERS, "member"])),
    "evaluations:close": ("post", only(MANAGERS, status=302)),
    "evaluations:quote_add": ("post", only(MANAGERS, status=302)),
    "evaluations:quote_remove": ("post", only(MANAGERS, status=302)),
    "evaluations:survey_list": ("get", only(MANAGERS)),
    "evaluations:survey_create": ("get", only(MANAGERS)),
    "evaluations:survey_questions": ("get", only(MANAGERS)),
    "evaluations:survey_send": ("post", only(MANAGERS, status=302)),
    "evaluations:survey_aggregates": ("get", only(MANAGERS)),
    "evaluations:answer": ("get", everyone(200)),
}


def build_objects(base: dict[str, Any]) -> dict[str, Any]:
    network = base["network"]
    # Any base network: its platform admin if the base has one, else its coordinator.
    roles = base["roles"]
    admin: User | None = roles.get("admin") or roles.get("network_coordinator")
    meeting = make_meeting(network)
    attend(meeting, 3)
    evaluation = services.evaluation_open(actor=admin, meeting=meeting)
    answer_all(evaluation, [5, 4], text="Bra exempel från Borås")
    quoted, free = Answer.objects.filter(
        response__questionnaire=evaluation, question__kind="text"
    ).order_by("pk")
    quote = services.quote_add(actor=admin, answer=quoted)
    survey = services.survey_create(
        actor=admin,
        network=network,
        year=2024,
        questions=[services.QuestionData(text="Hur nöjd är du?", kind="scale", key="overall")],
    )
    unopened = make_meeting(network, title="Digitalt nätverksmöte")
    attend(unopened, 1)
    return {
        "evaluation": evaluation,
        "eval_text_answer": free,
        "eval_quote": quote,
        "eval_unopened_meeting": unopened,
        "eval_survey": survey,
        "eval_token": evaluation.invitations.filter(used_at__isnull=True).first().token,
    }


def url_kwargs(name: str, objects: dict[str, Any]) -> dict[str, Any] | None:
    if not name.startswith("evaluations:"):
        return None
    slug = objects["network"].slug
    evaluation: Questionnaire = objects["evaluation"]
    by_name: dict[str, dict[str, Any]] = {
        "evaluations:evaluation_open": {"meeting_pk": objects["eval_unopened_meeting"].pk},
        "evaluations:evaluation_aggregates": {"meeting_pk": objects["eval_unopened_meeting"].pk},
        "evaluations:results": {"pk": evaluation.pk},
        "evaluations:close": {"pk": evaluation.pk},
        "evaluations:quote_add": {"pk": evaluation.pk, "answer_pk": objects["eval_text_answer"].pk},
        "evaluations:quote_remove": {"pk": objects["eval_quote"].pk},
        "evaluations:survey_questions": {"pk": objects["eval_survey"].pk},
        "evaluations:survey_send": {"pk": objects["eval_survey"].pk},
        "evaluations:survey_aggregates": {"pk": objects["eval_survey"].pk},
    }
    if name == "evaluations:answer":
        return {"token": objects["eval_token"]}
    return {"slug": slug, **by_name.get(name, {})}
