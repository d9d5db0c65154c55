"""Answer templates: an organisation's common answers, for its members' response form."""

from __future__ import annotations

from datetime import datetime

import strawberry

from backend import models
from backend.api.context import Info
from backend.api.errors import UserError
from backend.api.node import node_id
from backend.api.objects import copied
from backend.api.payloads import Answer, given, outcome
from backend.services import answer_templates
from backend.services.actors import Actor


@strawberry.type(description="A common answer an organisation's members start a response from.")
class AnswerTemplate:
    id: strawberry.ID
    title: str
    body: str
    updated_at: datetime

    @classmethod
    def of(cls, template: models.AnswerTemplate) -> AnswerTemplate:
        return copied(cls, template, id=node_id("AnswerTemplate", template.id))


@strawberry.type
class AnswerTemplatePayload:
    answer_template: AnswerTemplate | None
    errors: list[UserError]


@strawberry.type
class RemoveAnswerTemplatePayload:
    removed_answer_template_id: strawberry.ID | None
    errors: list[UserError]


@strawberry.input
class CreateAnswerTemplateInput:
    organisation_id: strawberry.ID
    title: str
    body: str


@strawberry.input
class UpdateAnswerTemplateInput:
    answer_template_id: strawberry.ID
    title: str
    body: str


@strawberry.input
class RemoveAnswerTemplateInput:
    answer_template_id: strawberry.ID


# The service names the template `template_id`; the inputs spell it out for clients.
SERVICE_NAMES = {"answer_template_id": "template_id"}


template_answer = Answer(AnswerTemplatePayload, AnswerTemplate.of)


@strawberry.type
class AnswerTemplateMutations:
    create_answer_template = template_answer.mutation(
        answer_templates.create,
        CreateAnswerTemplateInput,
        description="The organisation's admins add a common answer for its members.",
    )

    update_answer_template = template_answer.mutation(
        answer_templates.update, UpdateAnswerTemplateInput, renamed=SERVICE_NAMES
    )

    @strawberry.mutation(description="Responses that started from the template keep their own words.")
    async def remove_answer_template(
        self, info: Info, input: RemoveAnswerTemplateInput
    ) -> RemoveAnswerTemplatePayload:
        async def act(actor: Actor, now: datetime) -> strawberry.ID:
            await answer_templates.remove(actor, **given(input, renamed=SERVICE_NAMES))
            return input.answer_template_id

        return await outcome(
            info,
            RemoveAnswerTemplatePayload,
            act,
            lambda removed: RemoveAnswerTemplatePayload(removed_answer_template_id=removed, errors=[]),
        )
