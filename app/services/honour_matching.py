"""Matching directory entries to enterprise dossiers, and the honour tags that result.

An entry matches a live enterprise

* by USCC: the entry's validated code equals the enterprise's code, exactly; or
* when the entry has no USCC, by the exact registered name, compared after removing whitespace
  and turning full-width forms into half-width (NFKC: ``（）`` → ``()``, ``１`` → ``1``). An entry
  whose USCC finds no dossier also matches by exact name a dossier that has **no** USCC on file
  (nothing contradicts it); never one whose code differs.

Matching by name is deliberately NOT fuzzy: ``甲科技有限公司`` and ``甲科技有限责任公司`` are two
different registered names (possibly two companies), so neither matches the other, although the
duplicate finder's ``name_key`` treats them alike. Where several dossiers qualify (duplicates
not merged yet) the oldest one is taken.

Lookups are batched (one ``IN`` query per 500 codes or names, on indexed columns), never one
query per entry, so a list of thousands matches in milliseconds against 100,000 dossiers.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from sqlalchemy import false, select
from sqlalchemy.orm import Session

from app.database.tables import DirectoryEntryRow, EnterpriseRow, HonourDirectoryRow
from app.domain.names import name_key
from app.services.honour_directory_views import honour_tag, kind_order

CHUNK = 500
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class EntryKey:
    """What an entry is matched by: its name as listed and its canonical USCC ("" when none)."""

    name: str
    uscc: str = ""


def registered_name(name: str) -> str:
    """The registered name for exact comparison: NFKC (全角→半角) and no whitespace at all."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", name))


def find_matches(session: Session, keys: Iterable[EntryKey]) -> dict[EntryKey, str]:
    """The live enterprise each key matches (see the module doc); unmatched keys are absent."""
    wanted = set(keys)
    found: dict[EntryKey, str] = {}
    by_uscc: dict[str, str] = {}
    codes = sorted({key.uscc for key in wanted if key.uscc})
    for chunk in _chunks(codes):
        coded = session.execute(
            select(EnterpriseRow.id, EnterpriseRow.uscc)
            .where(EnterpriseRow.uscc.in_(chunk), EnterpriseRow.deleted == false())
            .order_by(EnterpriseRow.created_at, EnterpriseRow.id)
        )
        for enterprise_id, uscc in coded:
            if uscc:
                by_uscc.setdefault(uscc, enterprise_id)
    by_name_wanted: list[EntryKey] = []
    for key in wanted:
        if key.uscc and key.uscc in by_uscc:
            found[key] = by_uscc[key.uscc]
        else:
            by_name_wanted.append(key)
    if not by_name_wanted:
        return found
    # name_key is an indexed superset of the exact name (it also folds suffixes and case):
    # fetch by it, then keep only exact registered names.
    any_code: dict[str, str] = {}
    no_code: dict[str, str] = {}
    for chunk in _chunks(sorted({name_key(key.name) for key in by_name_wanted})):
        named = session.execute(
            select(EnterpriseRow.id, EnterpriseRow.name, EnterpriseRow.uscc)
            .where(EnterpriseRow.name_key.in_(chunk), EnterpriseRow.deleted == false())
            .order_by(EnterpriseRow.created_at, EnterpriseRow.id)
        )
        for enterprise_id, name, uscc in named:
            exact = registered_name(name)
            any_code.setdefault(exact, enterprise_id)
            if not uscc:
                no_code.setdefault(exact, enterprise_id)
    for key in by_name_wanted:
        names = no_code if key.uscc else any_code
        match = names.get(registered_name(key.name))
        if match is not None:
            found[key] = match
    return found


def live_enterprise_names(session: Session, ids: Iterable[str | None]) -> dict[str, str]:
    """Names of those ids that are live enterprises (a deleted dossier counts as no match)."""
    result: dict[str, str] = {}
    for chunk in _chunks(sorted({value for value in ids if value})):
        rows = session.execute(
            select(EnterpriseRow.id, EnterpriseRow.name).where(
                EnterpriseRow.id.in_(chunk), EnterpriseRow.deleted == false()
            )
        )
        result.update({enterprise_id: name for enterprise_id, name in rows})
    return result


def honour_tags_in(session: Session, enterprise_ids: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """For each id, the tags of the live lists it is matched on, newest year first.

    Every id asked for is a key (an empty tuple when it is on no list). A list holding the same
    enterprise twice (after a merge) gives one tag.
    """
    ids = list(dict.fromkeys(enterprise_ids))
    honours: dict[str, set[tuple[int, int, str, str]]] = {
        enterprise_id: set() for enterprise_id in ids
    }
    for chunk in _chunks(ids):
        rows = session.execute(
            select(
                DirectoryEntryRow.enterprise_id,
                HonourDirectoryRow.kind,
                HonourDirectoryRow.year,
                HonourDirectoryRow.batch,
            )
            .join(HonourDirectoryRow, HonourDirectoryRow.id == DirectoryEntryRow.directory_id)
            .where(
                DirectoryEntryRow.enterprise_id.in_(chunk),
                DirectoryEntryRow.deleted == false(),
                HonourDirectoryRow.deleted == false(),
            )
        )
        for enterprise_id, kind, year, batch in rows:
            if enterprise_id is not None:
                honours[enterprise_id].add((-year, kind_order(kind), batch, kind))
    return {
        enterprise_id: tuple(
            honour_tag(kind, -negative_year, batch)
            for negative_year, _order, batch, kind in sorted(found)
        )
        for enterprise_id, found in honours.items()
    }


def _chunks(values: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]
