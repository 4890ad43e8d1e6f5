"""The request parser of the API: django-ninja's JSON parser, refusing text the database cannot
store. PostgreSQL refuses NUL characters in text, and UTF-8 cannot encode lone surrogates
(`\\ud800`…`\\udfff`, which JSON's escapes can spell); neither is ever part of a real name, code
or narrative. Django's forms refuse NUL the same way (ProhibitNullCharactersValidator); JSON
bypasses the forms, so the API checks here, once, for every body and query string."""

from __future__ import annotations

import re
from typing import Any

from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from ninja.errors import ValidationError
from ninja.parser import Parser

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
MESSAGE = "Văn bản chứa ký tự không hợp lệ (ký tự NUL hoặc mã UTF-16 lẻ)."


def _refuse_unstorable(value: Any, where: tuple[str | int, ...]) -> None:
    if isinstance(value, str):
        if _UNSTORABLE.search(value):
            raise ValidationError([{"loc": where, "msg": MESSAGE, "type": "value_error"}])
    elif isinstance(value, dict):
        for key, item in value.items():
            _refuse_unstorable(key, where)
            _refuse_unstorable(item, (*where, str(key)))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _refuse_unstorable(item, (*where, i))


class StorableTextParser(Parser):
    def parse_body(self, request: HttpRequest) -> Any:
        data = super().parse_body(request)
        _refuse_unstorable(data, ("body",))
        return data

    def parse_querydict(self, data: MultiValueDict, list_fields: list[str], request: HttpRequest) -> Any:
        result = super().parse_querydict(data, list_fields, request)
        _refuse_unstorable(result, ("query",))
        return result
