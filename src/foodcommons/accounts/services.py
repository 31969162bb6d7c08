"""Accounts: sign-up with e-mail confirmation, profile, personal data export and account deletion."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from foodcommons.accounts.models import ApiToken, Profile
from foodcommons.accounts.signals import account_deleting, personal_data_requested
from foodcommons.core.mail import absolute, queue_email
from foodcommons.core.problems import FieldError, InvalidInput

ACTIVATION_SALT = "foodcommons.activate"
ACTIVATION_DAYS = 3
LANGUAGES = ("fr", "nl", "en")


def profile_of(user) -> Profile:
    """Return the profile of a user, created on first use."""
    profile, _ = Profile.objects.get_or_create(user=user)
    return profile


@transaction.atomic
def sign_up(*, username: str, email: str, password: str, language: str = "fr"):
    """Create an inactive account and e-mail the link that activates it."""
    User = get_user_model()
    errors = []
    if not username or User.objects.filter(username__iexact=username).exists():
        errors.append(FieldError("username", "this user name is taken"))
    if User.objects.filter(email__iexact=email).exists():
        errors.append(FieldError("email", "an account already uses this address"))
    candidate = User(username=username, email=email)
    try:
        password_validation.validate_password(password, candidate)
    except ValidationError as error:
        errors.extend(FieldError("password", str(m)) for m in error.messages)
    if errors:
        raise InvalidInput(errors)
    user = User.objects.create_user(username=username, email=email, password=password, is_active=False)
    Profile.objects.create(user=user, language=language if language in LANGUAGES else "fr")
    token = signing.dumps({"u": user.pk}, salt=ACTIVATION_SALT)
    queue_email(
        to=email,
        template="accounts/email/activate_account",
        language=language,
        context={"link": absolute(reverse("collaboration:accounts:activate", args=[token])), "username": username},
    )
    return user


@transaction.atomic
def activate(*, token: str):
    """Activate the account named by a signed e-mail link."""
    try:
        data = signing.loads(token, salt=ACTIVATION_SALT, max_age=ACTIVATION_DAYS * 86400)
    except signing.BadSignature:
        raise InvalidInput([FieldError("token", "this activation link is invalid or has expired")]) from None
    user = get_user_model().objects.filter(pk=data["u"], profile__deleted_at__isnull=True).first()
    if user is None:
        raise InvalidInput([FieldError("token", "this account no longer exists")])
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
    return user


def set_language(*, user, language: str) -> Profile:
    """Change the language of a user's pages and e-mails."""
    if language not in LANGUAGES:
        raise InvalidInput([FieldError("language", "expected fr, nl or en")])
    profile = profile_of(user)
    profile.language = language
    profile.save(update_fields=["language"])
    return profile


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def export_data(*, user) -> dict:
    """Return everything the platform holds about a user, as JSON-ready data (the apps above add theirs through a signal)."""
    from foodcommons.places.models import PlaceRevision

    data = {
        "account": {"username": user.username, "email": user.email, "date_joined": _iso(user.date_joined), "last_login": _iso(user.last_login),
                    "language": profile_of(user).language},
        "tokens": [{"name": t.name, "prefix": t.prefix, "can_write": t.can_write, "created_at": _iso(t.created_at), "revoked_at": _iso(t.revoked_at)}
                   for t in ApiToken.objects.filter(user=user)],
        "revisions": [{"place": r.place.public_id, "version": r.version, "action": r.action, "created_at": _iso(r.created_at), "comment": r.comment}
                      for r in PlaceRevision.objects.filter(author=user).select_related("place").order_by("created_at")],
    }
    for _receiver, sections in personal_data_requested.send(sender=export_data, user=user):
        data.update(sections)
    return data


@transaction.atomic
def delete_account(*, user) -> None:
    """Erase a user's personal data and close the account; their revisions stay, shown as by "deleted user"."""
    ApiToken.objects.filter(user=user).delete()
    account_deleting.send(sender=delete_account, user=user)
    user.username = f"deleted-user-{user.pk}"
    user.email = user.first_name = user.last_name = ""
    user.is_active = user.is_staff = user.is_superuser = False
    user.set_unusable_password()
    user.save()
    profile = profile_of(user)
    profile.deleted_at = timezone.now()
    profile.save(update_fields=["deleted_at"])


def send_password_reset_now(*, user_id: int, language: str) -> bool:
    """Render and send the password-reset e-mail of an active user with a usable password; tell whether it went."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.has_usable_password() or not user.email:
        return False
    site = urlsplit(settings.FOODCOMMONS_BASE_URL)
    context = {
        "protocol": site.scheme, "domain": site.netloc, "user": user,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user),
    }
    with translation.override(language):
        subject = render_to_string("accounts/email/password_reset_subject.txt", context).strip().splitlines()[0]
        body = render_to_string("accounts/email/password_reset.txt", context)
    EmailMessage(subject, body, to=[user.email], headers={"Content-Language": language}).send()
    return True
