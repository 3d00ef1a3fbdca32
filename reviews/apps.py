from django.apps import AppConfig
from django.db.models.signals import post_migrate

from reviews.roles import ROLE_PERMISSIONS


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Reviews"
    # What each role may do with this app's models; gathered by iro_service.core.roles.
    role_permissions = ROLE_PERMISSIONS
    # Links on a child's summary page; gathered by iro_service.people.links.
    child_links = "reviews.links.child_links"
    # The labels of this app's code lists, for the pages; gathered by iro_service.core.codes.
    code_lists = "reviews.code_lists.code_list_labels"

    def ready(self) -> None:
        from reviews.code_lists import code_lists_sync

        # A flush (as transactional tests do) empties the code lists; put them back.
        post_migrate.connect(code_lists_sync, sender=self, dispatch_uid="reviews-code-lists")
