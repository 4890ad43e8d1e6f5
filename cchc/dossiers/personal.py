"""The applicant's personal data: how it is entered (checked and normalised) and who sees it.

Those who handle a dossier (may act on its receiving or handling unit, see
`permissions.can_handle`) see it in clear. Everyone else who may read the dossier (leaders,
officers of other units in scope) sees the name, the ID number and phone masked
("0123******89", "09******12"), the e-mail masked and no address. The public lookup shows none
of it; the audit log and event data never contain it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from cchc.core.errors import ServiceError
from cchc.core.text import nfc

from .choices import ApplicantKind

CITIZEN_ID_RE = re.compile(r"^\d{12}$")  # số định danh cá nhân (CCCD), 12 digits
TAX_CODE_RE = re.compile(r"^\d{10}(?:-\d{3})?$")  # mã số thuế, 10 digits or 10-3
PHONE_RE = re.compile(r"^0\d{9,10}$")  # mobile (10 digits) or landline (11 digits)
HIDDEN = "(đã ẩn)"


@dataclass(frozen=True)
class Applicant:
    """Who submits a dossier (người nộp hồ sơ)."""

    name: str
    id_number: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    kind: str = ApplicantKind.CITIZEN


def normalise_phone(value: str | None) -> str:
    """Digits only, +84 written as 0: "+84 912.345.678" -> "0912345678"."""
    digits = re.sub(r"[\s.\-()]", "", value or "")
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits


def check_contact(*, phone: str, email: str, prefix: str, require_phone: bool) -> tuple[str, str, dict]:
    errors: dict[str, str] = {}
    phone = normalise_phone(phone)
    email = nfc(email).lower()
    if phone and not PHONE_RE.match(phone):
        errors[f"{prefix}phone"] = "Số điện thoại gồm 10 hoặc 11 chữ số, bắt đầu bằng 0 (hoặc +84)."
    elif not phone and require_phone:
        errors[f"{prefix}phone"] = "Nhập số điện thoại (dùng để báo tình trạng và tra cứu hồ sơ)."
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors[f"{prefix}email"] = f"Địa chỉ thư điện tử “{email}” không hợp lệ."
    return phone, email, errors


def clean_applicant(applicant: Applicant) -> Applicant:
    """The applicant normalised (NFC, digits only), or ServiceError naming each bad field."""
    errors: dict[str, str] = {}
    kind = applicant.kind
    if kind not in ApplicantKind.values:
        errors["applicant_kind"] = "Chọn người nộp là công dân hoặc tổ chức."
    name = nfc(applicant.name)
    if not name:
        errors["applicant_name"] = "Nhập họ tên người nộp (hoặc tên tổ chức)."
    id_number = re.sub(r"\s", "", applicant.id_number or "")
    if kind == ApplicantKind.CITIZEN and not CITIZEN_ID_RE.match(id_number):
        errors["applicant_id_number"] = "Số định danh cá nhân gồm đúng 12 chữ số."
    elif kind == ApplicantKind.ORGANISATION and not TAX_CODE_RE.match(id_number):
        errors["applicant_id_number"] = "Mã số thuế gồm 10 chữ số (hoặc 10 chữ số, dấu gạch và 3 chữ số)."
    phone, email, contact_errors = check_contact(
        phone=applicant.phone, email=applicant.email, prefix="applicant_", require_phone=True
    )
    errors |= contact_errors
    address = nfc(applicant.address)
    if len(address) > 500:
        errors["applicant_address"] = "Địa chỉ quá dài (tối đa 500 ký tự)."
    if errors:
        raise ServiceError(errors, code="applicant_invalid")
    return Applicant(name=name, id_number=id_number, phone=phone, email=email, address=address, kind=kind)


def _mask(value: str, keep_start: int, keep_end: int) -> str:
    if not value:
        return ""
    if len(value) <= keep_start + keep_end:
        return "*" * len(value)
    end = value[len(value) - keep_end :]
    return value[:keep_start] + "*" * (len(value) - keep_start - keep_end) + end


def mask_id_number(value: str) -> str:
    """ "012345678901" -> "0123******01"."""
    return _mask(value, 4, 2)


def mask_phone(value: str) -> str:
    """ "0912345612" -> "09******12"."""
    return _mask(value, 2, 2)


def mask_email(value: str) -> str:
    """ "nguyenvana@gmail.com" -> "n*********@gmail.com"."""
    local, at, domain = (value or "").partition("@")
    return (_mask(local, 1, 0) + at + domain) if at else _mask(local, 1, 0)


@dataclass(frozen=True)
class ApplicantView:
    kind: str
    name: str
    id_number: str
    phone: str
    email: str
    address: str
    masked: bool


def applicant_view(dossier, *, clear: bool) -> ApplicantView:
    if clear:
        return ApplicantView(
            dossier.applicant_kind,
            dossier.applicant_name,
            dossier.applicant_id_number,
            dossier.applicant_phone,
            dossier.applicant_email,
            dossier.applicant_address,
            masked=False,
        )
    return ApplicantView(
        dossier.applicant_kind,
        dossier.applicant_name,
        mask_id_number(dossier.applicant_id_number),
        mask_phone(dossier.applicant_phone),
        mask_email(dossier.applicant_email),
        HIDDEN if dossier.applicant_address else "",
        masked=True,
    )
