"""/api/v1/users: account management for administrators (users.manage). Same services as the UI."""

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from ramparts.core import users
from ramparts.core.pagination import PageNumber
from ramparts.core.permissions import require

router = Router(tags=["users"])


class UserOut(Schema):
    username: str
    email: str
    first_name: str
    last_name: str
    role: str
    all_units: bool
    is_active: bool
    business_units: list[str]
    date_joined: dt.datetime
    last_login: dt.datetime | None

    @staticmethod
    def resolve_business_units(obj) -> list[str]:
        return sorted(u.code for u in obj.business_units.all())


class UserCreateIn(Schema):
    username: str = Field(min_length=1, max_length=150)
    password: str = Field(description="Checked against the password policy (at least 12 characters).")
    role: str
    email: str = ""
    first_name: str = ""
    last_name: str = ""
    business_units: list[str] = Field(default_factory=list, description="Business unit codes.")
    all_units: bool = False


class UserPatchIn(Schema):
    email: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    role: str | None = None
    all_units: bool | None = None
    is_active: bool | None = None
    business_units: list[str] | None = None


class PasswordIn(Schema):
    password: str


class UserFilterIn(Schema):
    q: str = ""
    role: str = ""
    active: bool | None = None


@router.get("/users", response=list[UserOut], summary="List user accounts")
@paginate(PageNumber)
def user_list(request: HttpRequest, filters: Query[UserFilterIn]):
    return users.user_list(request.user, q=filters.q, role=filters.role, active=filters.active)


@router.post("/users", response={201: UserOut}, summary="Create a user account")
def user_create(request: HttpRequest, payload: UserCreateIn):
    require(request.user, "users.manage")
    data = payload.dict()
    units = users.business_units_by_code(data.pop("business_units"))
    account = users.user_create(actor=request.user, business_units=units, **data)
    return Status(201, users.user_get(request.user, username=account.username))


@router.get("/users/{username}", response=UserOut, summary="One user account")
def user_get(request: HttpRequest, username: str):
    return users.user_get(request.user, username=username)


@router.patch("/users/{username}", response=UserOut, summary="Change a user account (role, units, active…)")
def user_patch(request: HttpRequest, username: str, payload: UserPatchIn):
    account = users.user_get(request.user, username=username)
    fields = payload.dict(exclude_unset=True)
    codes = fields.pop("business_units", None)
    units = users.business_units_by_code(codes) if codes is not None else None
    users.user_update(actor=request.user, user=account, business_units=units, **fields)
    return users.user_get(request.user, username=username)


@router.post("/users/{username}/deactivate", response=UserOut, summary="Deactivate a user account")
def user_deactivate(request: HttpRequest, username: str):
    account = users.user_get(request.user, username=username)
    users.user_deactivate(actor=request.user, user=account)
    return users.user_get(request.user, username=username)


@router.post("/users/{username}/password", response={204: None}, summary="Set a new password for a user")
def user_set_password(request: HttpRequest, username: str, payload: PasswordIn):
    account = users.user_get(request.user, username=username)
    users.user_set_password(actor=request.user, user=account, password=payload.password)
    return Status(204, None)


@router.post("/users/{username}/mfa-reset", response={204: None}, summary="Remove a user's second factors")
def user_mfa_reset(request: HttpRequest, username: str):
    account = users.user_get(request.user, username=username)
    users.user_mfa_reset(actor=request.user, user=account)
    return Status(204, None)
