"""Record content for Rich: a `Text` is never parsed as markup or emoji codes, so a name
`[bold]x[/x]` or `:warning:` is shown as written; controls are made visible first."""

from __future__ import annotations

from rich.markup import escape
from rich.text import Text

from ftfhub.rendering.text import safe_text


def plain(value: object, style: str = "") -> Text:
    """A value as literal Rich text (no markup, no emoji), safe for a table cell."""
    return Text(safe_text(str(value)), style=style)


def labelled(label: str, content: object, style: str = "") -> Text:
    """`label` in `style`, then the content as literal text: `rejected: f.csv, line 3 …`."""
    return Text.assemble((label, style), " ", plain(content))


def markup_escape(value: object) -> str:
    """A value for a markup string: controls visible, right-to-left isolated, `[` escaped.

    Prefer :func:`plain`; print the result with `emoji=False`, since `:x:` codes are not
    markup and survive escaping."""
    return escape(safe_text(str(value)))
