"""User text that could mislead: bidi controls that reorder what is shown, secrets
in database URLs printed in errors, and usernames that carry a hidden newline."""

from __future__ import annotations

import pytest

from oppmarket import identity
from oppmarket.db.connection import redact
from oppmarket.errors import ValidationError
from oppmarket.text import clean, clean_line

EMBEDDINGS = "\u202a\u202b\u202c\u202d\u202e"
ISOLATES = "\u2066\u2067\u2068\u2069"
MARKS = "\u200e\u200f\u061c"


@pytest.mark.parametrize("char", EMBEDDINGS + ISOLATES + MARKS)
def test_clean_line_strips_bidi_controls_and_marks(char):
    assert clean_line(f"inv{char}oice.exe") == "invoice.exe"


def test_clean_line_strips_a_bidi_control_at_the_edges():
    assert clean_line("\u202e alice \u2069") == "alice"


@pytest.mark.parametrize("char", EMBEDDINGS + ISOLATES)
def test_clean_strips_bidi_embeddings_overrides_and_isolates(char):
    assert clean(f"first line\nsec{char}ond line") == "first line\nsecond line"


def test_clean_keeps_bidi_marks_and_non_latin_text():
    # Marks only nudge neutral characters next to them; right-to-left prose needs them.
    text = "שלום\u200f, world\nمرحبا\u061c\t!"
    assert clean(text) == text


def test_a_display_name_is_stored_without_an_override(market_as):
    market = market_as("mallory")
    market.register_self("Mal\u202elory\u2066", title="Eng\u200fineer")
    person = market.person("mallory")
    assert person.display_name == "Mallory"
    assert person.title == "Engineer"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgresql://u@h/db?password=secret", "postgresql://u@h/db?password=***"),
        ("postgresql://u@h/db?sslpassword=secret&sslmode=require",
         "postgresql://u@h/db?sslpassword=***&sslmode=require"),
        ("postgresql://u@h/db?sslmode=require&PassWord=a%26b#frag",
         "postgresql://u@h/db?sslmode=require&PassWord=***#frag"),
        ("postgresql://u:pw@h:5432/db?password=pw2",
         "postgresql://u:***@h:5432/db?password=***"),
    ],
)
def test_redact_hides_a_password_in_the_query_string(url, expected):
    assert redact(url) == expected


def test_redact_leaves_a_url_without_secrets_alone():
    url = "postgresql://u@h/db?sslmode=require&application_name=oppmarket"
    assert redact(url) == url
    assert redact("sqlite:////srv/market.db") == "sqlite:////srv/market.db"


@pytest.mark.parametrize("name", ["alice\n", "alice\r\n", "\nalice", "al ice", "../root", ""])
def test_an_ssh_username_with_a_hidden_newline_is_refused(name):
    with pytest.raises(ValidationError, match="not a valid username"):
        identity.resolve(None, None, ssh_user=name)


def test_valid_username_is_anchored_at_the_very_end():
    assert identity.valid_username("alice.b-c_1")
    assert not identity.valid_username("alice\n")
