"""Background jobs of the knowledge commons: sending an issue of the newsletter, making previews of documents."""

from django_tasks import task


@task()
def send_newsletter(issue_id: str) -> int:
    """Queue the e-mail of an issue to each newsletter subscriber in their language; return how many."""
    from django.urls import reverse

    from foodcommons.core.mail import absolute
    from foodcommons.knowledge.models import LANGUAGES, NewsletterIssue
    from foodcommons.subscriptions.domain.digest import Target
    from foodcommons.subscriptions.services import mail_subscribers

    issue = NewsletterIssue.objects.prefetch_related("items").get(public_id=issue_id)
    page = absolute(reverse("knowledge:newsletter-issue", args=[issue.public_id]))
    contexts = {lang: {"title": issue.title(lang), "intro": issue.intro(lang), "page": page,
                       "items": [{"title": i.title(lang), "text": i.text(lang), "url": absolute(i.path)} for i in issue.items.all()]}
                for lang in LANGUAGES}
    queued = mail_subscribers(target=Target("newsletter"), template="knowledge/email/newsletter", contexts=contexts)
    NewsletterIssue.objects.filter(pk=issue.pk).update(recipients=queued)
    return queued


@task()
def make_preview(version_id: int) -> bool:
    """Make the preview PNG of a document version (first page of a PDF, thumbnail of an image); return whether one was made."""
    from django.core.files.base import ContentFile

    from foodcommons.knowledge.domain.previews import preview_png
    from foodcommons.knowledge.models import DocumentVersion

    version = DocumentVersion.objects.select_related("document").filter(pk=version_id).first()
    if version is None or version.preview:
        return False
    with version.file.open("rb") as handle:
        png = preview_png(handle.read(), version.media_type)
    if png is None:
        return False
    version.preview.save("preview.png", ContentFile(png), save=False)
    DocumentVersion.objects.filter(pk=version.pk).update(preview=version.preview.name)
    return True
