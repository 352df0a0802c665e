"""An enterprise's contact people: what a user enters for one, and the rules it must satisfy."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from app.domain.errors import ValidationError
from app.i18n import mark, tr

CONTACT_LABELS: Mapping[str, str] = {
    "name": mark("姓名"),
    "title": mark("职务"),
    "mobile": mark("手机"),
    "phone": mark("电话"),
    "email": mark("邮箱"),
    "wechat": mark("微信"),
    "notes": mark("备注"),
}
_LIMITS: Mapping[str, int] = {
    "name": 50,
    "title": 50,
    "phone": 30,
    "mobile": 30,
    "email": 100,
    "wechat": 50,
}
# Landlines as people write them: 0931-8888888, (0931) 888 8888, +86 931 8888888, and an
# extension after a short word such as 转, ext or x.
_PHONE = re.compile(r"^\+?[0-9()\-\s]{7,24}([^\d\s()+\-]{1,4}\.?\s*[0-9]{1,6})?$")
_MOBILE = re.compile(r"^1[3-9][0-9]{9}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True, slots=True)
class ContactDraft:
    """One contact as typed; ``id`` is None for a contact not saved yet."""

    name: str
    title: str = ""
    mobile: str = ""
    phone: str = ""
    email: str = ""
    wechat: str = ""
    notes: str = ""
    is_primary: bool = False
    id: str | None = None


def contact_label(field: str) -> str:
    return tr(CONTACT_LABELS.get(field, field))


def validate_contact(draft: ContactDraft) -> ContactDraft:
    """The draft with text trimmed, or ``ValidationError`` naming the first bad field."""
    clean = replace(
        draft,
        name=draft.name.strip(),
        title=draft.title.strip(),
        mobile=_normalise_mobile(draft.mobile),
        phone=unicodedata.normalize("NFKC", draft.phone).strip(),
        email=unicodedata.normalize("NFKC", draft.email).strip(),
        wechat=draft.wechat.strip(),
        notes=draft.notes.strip(),
    )
    if not clean.name:
        raise ValidationError("name", tr("请填写联系人{field}", field=contact_label("name")))
    for field, limit in _LIMITS.items():
        if len(getattr(clean, field)) > limit:
            raise ValidationError(
                field, tr("{field}不能超过 {limit} 个字", field=contact_label(field), limit=limit)
            )
    if clean.mobile and not _MOBILE.match(clean.mobile):
        raise ValidationError(
            "mobile",
            tr(
                "手机号码“{value}”格式不正确：应为以 1 开头的 11 位数字", value=draft.mobile.strip()
            ),
        )
    if clean.phone and not (_PHONE.match(clean.phone) and _digits(clean.phone) >= 7):
        raise ValidationError(
            "phone",
            tr(
                "电话号码“{value}”格式不正确：只能有数字、空格、“-”、“+”和括号，"
                "如 0931-8888888 转 123",
                value=clean.phone,
            ),
        )
    if clean.email and not _EMAIL.match(clean.email):
        raise ValidationError(
            "email", tr("邮箱“{value}”格式不正确，应如 name@example.com", value=clean.email)
        )
    return clean


def with_one_primary(contacts: Iterable[ContactDraft]) -> tuple[ContactDraft, ...]:
    """The contacts with at most one marked primary (the first one marked keeps it)."""
    seen = False
    result: list[ContactDraft] = []
    for contact in contacts:
        if contact.is_primary and seen:
            contact = replace(contact, is_primary=False)
        seen = seen or contact.is_primary
        result.append(contact)
    return tuple(result)


def _normalise_mobile(raw: str) -> str:
    """Digits only, without a +86 / 0086 country prefix (as printed on business cards)."""
    text = unicodedata.normalize("NFKC", raw).strip()
    compact = re.sub(r"[\s\-]", "", text)
    for prefix in ("+86", "0086"):
        if compact.startswith(prefix):
            compact = compact[len(prefix) :]
    return compact if compact else ""


def _digits(text: str) -> int:
    return sum(1 for char in text if char.isdigit())
