"""Pages for administrators to manage accounts. Thin: parse the form, call one service, render."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from ramparts.core import users
from ramparts.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from ramparts.core.permissions import user_can
from ramparts.core.user_forms import PasswordSetForm, UserCreateForm, UserEditForm


def action_required(action: str):
    """Anonymous visitors go to the log-in page; a role without `action` gets 403."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not user_can(request.user, action):
                raise DjangoPermissionDenied(f"Your role may not do this ({action}).")
            try:
                return view(request, *args, **kwargs)
            except NotFound as exc:
                raise Http404(str(exc)) from exc
            except PermissionDenied as exc:
                raise DjangoPermissionDenied(str(exc)) from exc

        return wrapped

    return decorator


def add_problems(form, exc: ValidationFailed) -> None:
    for problem in exc.problems:
        field = problem.column if problem.column in form.fields else None
        form.add_error(field, problem.reason)
    if not exc.problems:
        form.add_error(None, exc.message)


@action_required("users.manage")
def user_list(request):
    q = request.GET.get("q", "").strip()
    role = request.GET.get("role", "")
    accounts = users.user_list(request.user, q=q, role=role)
    return render(request, "core/users/list.html", {"accounts": accounts, "q": q, "role": role})


@action_required("users.manage")
@require_http_methods(["GET", "POST"])
def user_create(request):
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            account = users.user_create(
                actor=request.user,
                username=data["username"],
                password=data["password"],
                role=data["role"],
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                business_units=list(data["business_units"]),
                all_units=data["all_units"],
            )
        except ValidationFailed as exc:
            add_problems(form, exc)
        except Conflict as exc:
            form.add_error("username", str(exc))
        else:
            messages.success(request, f"User {account.username} created.")
            return redirect("user_edit", username=account.username)
    return render(request, "core/users/form.html", {"form": form, "account": None}, status=_status(form))


@action_required("users.manage")
@require_http_methods(["GET", "POST"])
def user_edit(request, username: str):
    account = users.user_get(request.user, username=username)
    initial = {
        "email": account.email,
        "first_name": account.first_name,
        "last_name": account.last_name,
        "role": account.role,
        "business_units": list(account.business_units.all()),
        "all_units": account.all_units,
    }
    form = UserEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        units = list(data.pop("business_units"))
        try:
            users.user_update(actor=request.user, user=account, business_units=units, **data)
        except ValidationFailed as exc:
            add_problems(form, exc)
        except Conflict as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"User {account.username} saved.")
            return redirect("user_edit", username=account.username)
    context = {"form": form, "account": account, "password_form": PasswordSetForm()}
    return render(request, "core/users/form.html", context, status=_status(form))


@action_required("users.manage")
@require_POST
def user_deactivate(request, username: str):
    account = users.user_get(request.user, username=username)
    try:
        users.user_deactivate(actor=request.user, user=account)
    except Conflict as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"User {account.username} deactivated: they can no longer log in or use tokens.")
    return redirect("user_edit", username=account.username)


@action_required("users.manage")
@require_POST
def user_reactivate(request, username: str):
    account = users.user_get(request.user, username=username)
    users.user_reactivate(actor=request.user, user=account)
    messages.success(request, f"User {account.username} reactivated.")
    return redirect("user_edit", username=account.username)


@action_required("users.manage")
@require_POST
def user_set_password(request, username: str):
    account = users.user_get(request.user, username=username)
    form = PasswordSetForm(request.POST)
    if form.is_valid():
        try:
            users.user_set_password(actor=request.user, user=account, password=form.cleaned_data["password"])
        except ValidationFailed as exc:
            add_problems(form, exc)
        else:
            messages.success(request, f"A new password was set for {account.username}.")
            return redirect("user_edit", username=account.username)
    edit_form = UserEditForm(initial={"role": account.role, "email": account.email})
    context = {"form": edit_form, "account": account, "password_form": form}
    return render(request, "core/users/form.html", context, status=400)


@action_required("users.manage")
@require_POST
def user_mfa_reset(request, username: str):
    account = users.user_get(request.user, username=username)
    removed = users.user_mfa_reset(actor=request.user, user=account)
    messages.success(request, f"{removed} authenticator(s) removed; {account.username} will enrol again.")
    return redirect("user_edit", username=account.username)


def _status(form) -> int:
    return 400 if form.is_bound and form.errors else 200
