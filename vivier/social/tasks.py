"""Social background tasks: e-mails that must not hold a request up."""

from django_tasks import task

from vivier.accounts.models import User


@task()
def digest_send_now(user_id: int) -> int:
    """Background: e-mail a person who asked for immediate notifications what is new."""
    from vivier.social.notifications import digest_send

    user = User.objects.filter(pk=user_id).first()
    return digest_send(user=user) if user is not None else 0
