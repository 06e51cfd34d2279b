"""Who may see what: roles, the audiences of data they may read, and signed-in identities.

Roles decide pages (a page's ``roles=`` registry key) and audiences decide data (a named query's
``-- audience:`` header). Both are checked where they apply: the page guard answers 403 and the
query layer refuses to run a query for an identity outside its audience, then filters every row
by the identity's scope.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class Role(StrEnum):
    """A kind of user of the dashboard."""

    OWNER = "owner"
    """One provider (all its locations): everything, including the return on investment."""
    QUALITY_LEAD = "quality_lead"
    """One provider, or some of its locations: quality, alerts, time, person-level drill-down."""
    ICB_LEAD = "icb_lead"
    """One ICB: adoption and provider-level aggregates under disclosure control only."""
    INSPECTOR = "inspector"
    """A CQC inspector: read-only quality pages of one provider until an expiry date."""
    ADMIN = "admin"
    """Users and the access audit; no care data unless the account also has a data role."""


ALL_ROLES: frozenset[Role] = frozenset(Role)
DATA_ROLES: frozenset[Role] = frozenset(
    {Role.OWNER, Role.QUALITY_LEAD, Role.ICB_LEAD, Role.INSPECTOR}
)
PROVIDER_ROLES: frozenset[Role] = frozenset({Role.OWNER, Role.QUALITY_LEAD, Role.INSPECTOR})
"""Data roles whose scope is one provider."""


class Audience(StrEnum):
    """What kind of data a named query returns; each query file declares one."""

    PROVIDER = "provider"
    """Rows about one provider's locations, without person-level identifiers or free text."""
    PERSON = "person"
    """Person-level rows of one provider: pseudonymised identifiers, person_id, free text."""
    ICB = "icb"
    """Provider-level aggregates across one ICB; counts pass through disclosure control."""
    OPERATIONS = "operations"
    """Install-wide load accounting (runs, files, checks): no care data."""
    ACCOUNTS = "accounts"
    """User accounts and the access audit trail."""


AUDIENCES_BY_ROLE: dict[Role, frozenset[Audience]] = {
    Role.OWNER: frozenset({Audience.PROVIDER, Audience.PERSON}),
    Role.QUALITY_LEAD: frozenset({Audience.PROVIDER, Audience.PERSON}),
    Role.INSPECTOR: frozenset({Audience.PROVIDER, Audience.PERSON}),
    Role.ICB_LEAD: frozenset({Audience.ICB}),
    Role.ADMIN: frozenset({Audience.OPERATIONS, Audience.ACCOUNTS}),
}

PROVIDER_ID_PATTERN = re.compile(r"^1-\d{9,11}$")
"""CQC provider and location IDs: ``1-`` then 9 to 11 digits (ODE-1 section 4)."""
ICB_CODE_PATTERN = re.compile(r"^Q[A-Z0-9]{2}$")
"""ICB ODS codes: three characters starting with Q (for example ``QOP``)."""


class ScopeError(ValueError):
    """A scope does not fit its role (wrong kind of code, or a code that is malformed)."""


@dataclass(frozen=True, slots=True)
class Scope:
    """The organisations whose data an identity may read.

    Attributes:
        provider_id: The CQC provider (owner, quality lead, inspector).
        location_ids: Only these locations of the provider (a quality lead may be limited to
            some); ``None`` means all of them.
        icb_code: The ICB (ICB lead).
    """

    provider_id: str | None = None
    location_ids: frozenset[str] | None = None
    icb_code: str | None = None

    def describe(self) -> str:
        """The scope as one short line for the audit trail, e.g. ``provider 1-101641521``."""
        if self.icb_code:
            return f"icb {self.icb_code}"
        if self.provider_id and self.location_ids:
            return f"provider {self.provider_id} locations {','.join(sorted(self.location_ids))}"
        if self.provider_id:
            return f"provider {self.provider_id}"
        return "none"

    def query_parameters(self) -> dict[str, object]:
        """The ``$scope_*`` parameters every scoped query binds.

        ``scope_location_ids`` is ``None`` when the whole provider is in scope, so SQL filters
        with ``($scope_location_ids is null or list_contains($scope_location_ids, location_id))``.
        """
        return {
            "scope_provider_id": self.provider_id,
            "scope_location_ids": sorted(self.location_ids) if self.location_ids else None,
            "scope_icb_code": self.icb_code,
        }


def scope_for_role(
    role: Role | None, *, code: str | None, location_ids: Iterable[str] = ()
) -> Scope:
    """Check a scope code against the data role it is for and build the scope.

    Args:
        role: The account's data role (``None`` for an admin without one: no scope).
        code: A provider ID for owners, quality leads and inspectors; an ICB code for ICB leads.
        location_ids: For a quality lead only, the locations of the provider they are limited to.

    Raises:
        ScopeError: If the code is missing, malformed, or of the wrong kind for the role.
    """
    locations = frozenset(location.strip() for location in location_ids if location.strip())
    if locations and role is not Role.QUALITY_LEAD:
        raise ScopeError("only a quality lead can be limited to some locations")
    if role is None:
        if code:
            raise ScopeError("an account without a data role has no scope")
        return Scope()
    if not code:
        raise ScopeError(f"role {role} needs a scope")
    code = code.strip()
    if role is Role.ICB_LEAD:
        code = code.upper()
        if not ICB_CODE_PATTERN.fullmatch(code):
            raise ScopeError(f"{code!r} is not an ICB ODS code (three characters, e.g. QOP)")
        return Scope(icb_code=code)
    if not PROVIDER_ID_PATTERN.fullmatch(code):
        raise ScopeError(f"{code!r} is not a CQC provider ID (1- and 9 to 11 digits)")
    for location in locations:
        if not PROVIDER_ID_PATTERN.fullmatch(location):
            raise ScopeError(f"{location!r} is not a CQC location ID (1- and 9 to 11 digits)")
    return Scope(provider_id=code, location_ids=locations or None)


@dataclass(frozen=True, slots=True)
class Identity:
    """A signed-in user, as every page, callback and query sees them.

    Attributes:
        username: The account name.
        roles: One data role at most, plus ``admin`` if given.
        scope: The organisations the data role covers.
        expires_on: Last day the account may be used (inspectors always have one).
        auth_method: ``password``, ``password+totp`` or ``oidc``.
        request_id: The id of the request being served, for the audit trail.
    """

    username: str
    roles: frozenset[Role]
    scope: Scope = field(default_factory=Scope)
    expires_on: date | None = None
    auth_method: str = "password"
    request_id: str = ""

    @property
    def data_role(self) -> Role | None:
        """The account's data role, or ``None`` (an admin without one)."""
        data_roles = sorted(self.roles & DATA_ROLES)
        return data_roles[0] if data_roles else None

    @property
    def role_label(self) -> str:
        """All roles, sorted and joined with ``+``: how the audit trail records them."""
        return "+".join(sorted(self.roles))

    def may_read(self, audience: Audience) -> bool:
        """Whether any of the identity's roles may read data of ``audience``."""
        return any(audience in AUDIENCES_BY_ROLE[role] for role in self.roles)

    def may_open(self, page_roles: Iterable[Role]) -> bool:
        """Whether any of the identity's roles is among a page's ``roles``."""
        return not self.roles.isdisjoint(page_roles)

    @property
    def is_disclosure_controlled(self) -> bool:
        """Whether counts shown to this identity are published outside the provider."""
        return self.data_role is Role.ICB_LEAD
