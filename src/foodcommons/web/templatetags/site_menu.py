"""What the site menu offers a person: Imports and Moderation only to those who may use them."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def menu_rights(context) -> dict:
    """Return {"imports": bool, "moderation": bool} for the person viewing the page (read once per request)."""
    from foodcommons.collaboration.selectors import may_moderate_somewhere
    from foodcommons.imports.access import may_import_somewhere

    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if user is None or not user.is_authenticated:
        return {"imports": False, "moderation": False}
    cached = getattr(request, "_menu_rights", None)
    if cached is None:
        cached = {"imports": may_import_somewhere(user=user), "moderation": may_moderate_somewhere(user)}
        if request is not None:
            request._menu_rights = cached
    return cached
