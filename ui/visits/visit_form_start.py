"""Everything the visit form needs before it can show, loaded in one go on the task runner."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.domain.visit import AttendeeDraft, VisitContent
from app.services.chain_views import LinkChoice
from app.services.visit_drafts import VisitDraft
from app.services.visit_views import (
    EnterpriseChoice,
    PersonChoice,
    TripChoice,
    VisitDetail,
    VisitFormDefaults,
    VisitTaskView,
)
from ui.visits.visit_services import VisitServices


@dataclass(frozen=True)
class VisitFormStart:
    """A new visit (``visit`` None), an existing one, or a draft offered back after a crash."""

    defaults: VisitFormDefaults
    visit: VisitDetail | None
    enterprise: EnterpriseChoice | None
    trips: tuple[TripChoice, ...]
    default_trip_id: str | None
    contacts: tuple[PersonChoice, ...]
    draft: VisitDraft | None = None
    links: tuple[LinkChoice, ...] = ()
    """The chain links a visit can be tagged with."""
    enterprise_links: tuple[str, ...] = ()
    """The links the enterprise is a target of (a new visit takes the only one)."""

    @property
    def saved(self) -> VisitContent | None:
        """What the database holds for the visit (None for a visit not saved yet)."""
        visit = self.visit
        if visit is None:
            return None
        return VisitContent(
            enterprise_id=visit.enterprise_id,
            visited_on=visit.visited_on,
            place=visit.place,
            trip_id=visit.trip_id,
            chain_link_id=visit.chain_link_id,
            purpose=visit.purpose,
            discussion=visit.discussion,
            outcomes=visit.outcomes,
            next_steps=visit.next_steps,
            participant_ids=tuple(p.member_id for p in visit.participants),
            attendees=tuple(
                AttendeeDraft(a.name, a.title, a.contact_id, a.id) for a in visit.attendees
            ),
        )

    @property
    def shown(self) -> VisitContent:
        """What the form opens with: the draft, else the saved visit, else the defaults."""
        if self.draft is not None:
            return self.draft.content
        saved = self.saved
        if saved is not None:
            return saved
        defaults = self.defaults
        return VisitContent(
            enterprise_id=self.enterprise.id if self.enterprise else None,
            visited_on=defaults.today,
            trip_id=self.default_trip_id,
            chain_link_id=self.enterprise_links[0] if len(self.enterprise_links) == 1 else None,
            participant_ids=(defaults.member_id,) if defaults.member_id else (),
        )

    @property
    def participants(self) -> tuple[PersonChoice, ...]:
        """People to show as chosen (the visit's, which may include others than my squad)."""
        known = {person.id: person for person in self.defaults.members}
        if self.visit is not None:
            for p in self.visit.participants:
                known.setdefault(p.member_id, PersonChoice(p.member_id, p.name, p.title, ""))
        return tuple(known[m] for m in self.shown.participant_ids if m in known)

    @property
    def tasks(self) -> tuple[VisitTaskView, ...]:
        return self.visit.tasks if self.visit is not None else ()


def load_form_start(
    services: VisitServices,
    *,
    visit_id: str | None = None,
    enterprise_id: str | None = None,
    draft: VisitDraft | None = None,
) -> VisitFormStart:
    """Runs on the task runner."""
    choices = services.choices
    defaults = choices.defaults()
    if draft is not None:
        visit_id = draft.visit_id
        enterprise_id = draft.content.enterprise_id
    visit = services.visits.detail(visit_id) if visit_id else None
    if visit is not None:
        enterprise_id = visit.enterprise_id
    enterprise = choices.enterprise(enterprise_id) if enterprise_id else None
    on: dt.date = defaults.today
    if draft is not None and draft.content.visited_on:
        on = draft.content.visited_on
    elif visit is not None:
        on = visit.visited_on
    trips, default_trip = choices.trips(on, visit.trip_id if visit else None)
    contacts = choices.contacts(enterprise.id) if enterprise else ()
    chains = services.chains
    return VisitFormStart(
        defaults,
        visit,
        enterprise,
        trips,
        default_trip,
        contacts,
        draft,
        links=chains.link_choices(),
        enterprise_links=chains.enterprise_link_ids(enterprise.id) if enterprise else (),
    )
