from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from foodcommons.accounts.models import ApiToken
from foodcommons.accounts.tokens import create_token


class Command(BaseCommand):
    help = "Manage API tokens: `token create USERNAME`, `token list USERNAME`, `token revoke PREFIX`."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Print a new token for USERNAME (a staff user is created if missing)")
        create.add_argument("username")
        create.add_argument("--name", default="")
        create.add_argument("--read-only", action="store_true")
        listing = sub.add_parser("list", help="List the tokens of USERNAME")
        listing.add_argument("username")
        revoke = sub.add_parser("revoke", help="Revoke the token that starts with PREFIX")
        revoke.add_argument("prefix")

    def handle(self, *args, action, **options):
        getattr(self, f"_{action}")(**options)

    def _create(self, username, name, read_only, **_):
        User = get_user_model()
        user, created = User.objects.get_or_create(username=username, defaults={"is_staff": True})
        if created:
            user.set_unusable_password()
            user.save()
            self.stderr.write(f"Created staff user {username}.")
        self.stdout.write(create_token(user=user, name=name, can_write=not read_only))

    def _list(self, username, **_):
        for token in ApiToken.objects.filter(user__username=username).order_by("created_at"):
            state = "revoked" if token.revoked_at else ("read-write" if token.can_write else "read-only")
            self.stdout.write(f"{token.prefix}…  {state}  {token.name}  created {token.created_at:%Y-%m-%d}")

    def _revoke(self, prefix, **_):
        updated = ApiToken.objects.filter(prefix=prefix[:10], revoked_at__isnull=True).update(revoked_at=timezone.now())
        if not updated:
            raise CommandError(f"No active token starts with {prefix}.")
        self.stdout.write(f"Revoked {updated} token(s).")
