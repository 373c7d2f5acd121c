from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _create_groups(sender, **kwargs) -> None:
    from reviews.permissions import ensure_groups

    ensure_groups()


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = _("Reviews")

    def ready(self) -> None:
        # The groups need the review permissions, which Django creates after migrating; so do they.
        post_migrate.connect(_create_groups, sender=self, dispatch_uid="reviews.create_groups")
