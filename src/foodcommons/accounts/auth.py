"""Bearer-token authentication of API clients."""

from django.contrib.auth.models import AnonymousUser
from ninja.security import HttpBearer

from foodcommons.accounts.tokens import user_for_token
from foodcommons.core.problems import Problem, problem_type


class TokenAuth(HttpBearer):
    """Accept `Authorization: Bearer <token>` of an active token, then apply the operation's gate (api.access)."""

    # Set per operation by api.access.install, on a copy of the auth object: an object whose enforce(request) raises
    # the refusal. Passed in, so that the apps whose routers use this auth need not import the API package.
    access = None

    def __call__(self, request):
        caller = super().__call__(request)
        if caller and self.access is not None:
            self.access.enforce(request)
        return caller

    def authenticate(self, request, token):
        found = user_for_token(token)
        if found is None:
            return None
        request.user, request.api_token = found
        return request.user


class OptionalTokenAuth(TokenAuth):
    """Like TokenAuth, but a request without a token goes through as anonymous."""

    def __call__(self, request):
        if not request.headers.get(self.header):
            # Only a token names a person to the API: a browser's session cookie, which another site can make it send, does not.
            request.user = AnonymousUser()
            if self.access is not None:
                self.access.enforce(request)
            return True
        user = super().__call__(request)
        if user is None:
            raise Problem(status=401, title="Unauthorized", detail="Unknown or revoked token.", kind=problem_type("unauthorized"))
        return user


def is_writer(request) -> bool:
    """Tell whether the request carries a token of a staff user."""
    token = getattr(request, "api_token", None)
    return token is not None and request.user.is_staff
