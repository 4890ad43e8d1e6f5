"""Every relative link of README.md and docs/**/*.md points at a file (or folder) that exists."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import pytest

ROOT = Path(__file__).resolve().parent.parent
FILES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)")
# [text](target "title") and ![alt](target): the text may hold one level of brackets, the target
# may be written <like this>
_INLINE = re.compile(
    r"!?\[(?:[^\[\]]|\[[^\[\]]*\])*\]\(\s*(<[^>]*>|[^\s)]+)(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)"
)
_REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)")
_HTML = re.compile(r"<(?:a|img)\b[^>]*?\b(?:href|src)=\"([^\"]*)\"", re.IGNORECASE)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def links(text: str) -> list[tuple[int, str]]:
    """(line number, target) of every link outside code blocks and code spans."""
    found = []
    fence = None
    for number, line in enumerate(text.splitlines(), start=1):
        opening = _FENCE.match(line)
        if fence is not None:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = None
            continue
        if opening:
            fence = opening.group(1)
            continue
        line = _CODE_SPAN.sub("", line)
        for pattern in (_INLINE, _REFERENCE, _HTML):
            found += [(number, m.group(1).strip("<>")) for m in pattern.finditer(line)]
    return found


def missing_targets(path: Path) -> list[str]:
    problems = []
    for number, target in links(path.read_text(encoding="utf-8")):
        if not target or target.startswith("#") or _SCHEME.match(target) or target.startswith("//"):
            continue  # a heading of the same page, or another site
        file = unquote(target.split("#", 1)[0].split("?", 1)[0])
        resolved = (ROOT / file.lstrip("/")) if file.startswith("/") else (path.parent / file)
        if not resolved.exists():
            problems.append(f"{path.relative_to(ROOT)}:{number}: {target}")
    return problems


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_resolve(path):
    problems = missing_targets(path)
    assert not problems, "links to missing files:\n" + "\n".join(problems)


def test_the_docs_do_link_and_the_specs_are_there():
    """The check is not vacuous: the documents link to the specs, which are in docs/specs/."""
    targets = {target for path in FILES for _, target in links(path.read_text(encoding="utf-8"))}
    for name in (
        "dossier-exchange",
        "index-766",
        "par-index",
        "plan-import",
        "survey-results",
        "working-time",
    ):
        assert (ROOT / "docs" / "specs" / f"{name}.md").is_file()
        assert f"docs/specs/{name}.md" in targets  # from README.md
    assert "specs/dossier-exchange.md" in targets  # from docs/


def test_link_finder(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(
        'See [a](there.md), [b [nested]](<sub dir/x.md> "t"), ![img](pic.png#frag) and `[c](code.md)`.\n'
        "[ref]: ref.md\n"
        "```\n[d](fenced.md)\n```\n"
        '<a href="html.md">e</a> [f](https://example.org) [g](#anchor) [h](mailto:x@y)\n',
        encoding="utf-8",
    )
    assert [t for _, t in links(page.read_text(encoding="utf-8"))] == [
        "there.md",
        "sub dir/x.md",
        "pic.png#frag",
        "ref.md",
        "https://example.org",
        "#anchor",
        "mailto:x@y",
        "html.md",
    ]
