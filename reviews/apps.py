from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _create_groups(sender, **kwargs) -> None:
    from reviews.permissions import ensure_groups

    ensure_groups()


def _sqlite_search_index(sender, using="default", **kwargs) -> None:
    from reviews.search import ensure_sqlite_index

    ensure_sqlite_index(using)


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = _("Reviews")

    def ready(self) -> None:
        # The groups need the review permissions, which Django creates after migrating; so do they.
        post_migrate.connect(_create_groups, sender=self, dispatch_uid="reviews.create_groups")
        # The embedded default's full-text tables (reviews.search), made again where a migration dropped them.
        post_migrate.connect(_sqlite_search_index, sender=self, dispatch_uid="reviews.sqlite_search_index")
