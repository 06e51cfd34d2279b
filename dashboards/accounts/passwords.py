"""Password rules (NIST SP 800-63B) and Argon2id hashing.

NIST SP 800-63B (section 3.1.1.2 in revision 4, 5.1.1.2 in revision 3) asks verifiers to accept
long passwords and all printable characters, to refuse passwords found in lists of common or
compromised values and context-specific words, and not to impose composition rules or periodic
changes. Our rules: 12 to 128 characters (after Unicode NFKC normalisation), not the username,
not one repeated character, and not a common password, also once trailing digits and symbols are
taken off (``Password123!`` is ``password``).
"""

from __future__ import annotations

import functools
import re
import unicodedata

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 12
MAX_LENGTH = 128

COMMON_PASSWORDS: frozenset[str] = frozenset(
    {
        # Top entries of public breach-frequency lists (NCSC "100k most common", SecLists),
        # plus the service's own names (context-specific words, NIST SP 800-63B).
        "123456", "123456789", "12345678", "1234567890", "123456789012", "1234567890123",
        "111111111111", "000000000000", "123123123123", "qwerty", "qwerty123", "qwertyuiop",
        "qwertyuiop123", "1q2w3e4r5t6y", "1qaz2wsx3edc", "zaq12wsxcde3", "asdfghjkl",
        "asdfghjkl123", "zxcvbnm", "abc123", "abcdefghijkl", "abcdefg12345", "password",
        "passw0rd", "p@ssw0rd", "p@ssword", "password1", "passwordpassword", "mypassword",
        "newpassword", "changeme", "changeit", "default", "secret", "letmein", "letmeinplease",
        "welcome", "welcome1", "welcometothejungle", "iloveyou", "iloveyoutoo", "trustno1",
        "monkey", "dragon", "football", "baseball", "liverpool", "arsenal", "chelsea",
        "manchesterunited", "sunshine", "princess", "shadow", "superman", "batman", "master",
        "whatever", "starwars", "pokemon", "computer", "internet", "michael", "jennifer",
        "charlie", "thomas", "jessica", "summer", "winter", "autumn", "spring", "january",
        "february", "london", "england", "unitedkingdom", "admin", "administrator", "root",
        "login", "user", "guest", "test", "testing", "demo", "nhs", "nhsdigital", "nhsengland",
        "carehome", "carehomes", "socialcare", "nursing", "nursinghome", "careworker",
        "carelens", "carelensdemo", "dashboard", "correcthorsebatterystaple",
    }
)  # fmt: skip

_TRAILING_NOISE = re.compile(r"[\d\W_]+$")


def normalise_password(password: str) -> str:
    """The password as it is hashed: Unicode NFKC normalised (NIST SP 800-63B).

    Equal-looking passwords typed on different keyboards then match.
    """
    return unicodedata.normalize("NFKC", password)


def password_problems(password: str, *, username: str) -> list[str]:
    """Every password rule ``password`` breaks, one short sentence each (empty: acceptable).

    Args:
        password: The proposed password.
        username: The account's name (a password may not be the name).
    """
    text = normalise_password(password)
    lowered = text.lower()
    problems: list[str] = []
    if len(text) < MIN_LENGTH:
        problems.append(f"it must be at least {MIN_LENGTH} characters long")
    if len(text) > MAX_LENGTH:
        problems.append(f"it must be at most {MAX_LENGTH} characters long")
    if text and lowered == username.strip().lower():
        problems.append("it must not be the username")
    if len(set(text)) == 1:
        problems.append("it must not be one character repeated")
    core = _TRAILING_NOISE.sub("", lowered)
    if lowered in COMMON_PASSWORDS or (core and core in COMMON_PASSWORDS):
        problems.append("it is a commonly used password")
    return problems


def default_hasher() -> PasswordHasher:
    """The Argon2id hasher (library defaults: RFC 9106 low-memory profile, 64 MiB, t=3, p=4)."""
    return PasswordHasher()


@functools.cache
def _dummy_hash(hasher: PasswordHasher) -> str:
    return hasher.hash("carelens dummy password for unknown usernames")


def spend_dummy_hash(password: str, *, hasher: PasswordHasher) -> None:
    """Verify ``password`` against a throw-away hash.

    An unknown username then takes as long to refuse as a wrong password (no timing oracle
    telling which usernames exist).
    """
    verify_password(_dummy_hash(hasher), password, hasher=hasher)


def hash_password(password: str, *, hasher: PasswordHasher) -> str:
    """The Argon2id hash of the NFKC-normalised password, in PHC string format."""
    return hasher.hash(normalise_password(password))


def verify_password(stored_hash: str, password: str, *, hasher: PasswordHasher) -> bool:
    """Whether ``password`` matches ``stored_hash`` (a malformed hash never matches)."""
    try:
        return hasher.verify(stored_hash, normalise_password(password))
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str, *, hasher: PasswordHasher) -> bool:
    """Whether a hash was made with other parameters than the hasher's current ones."""
    try:
        return hasher.check_needs_rehash(stored_hash)
    except InvalidHashError:
        return True
