"""Django's admin of user accounts, for the system administrator: an account made there with a
password, or given one there, must change it at its first sign-in, as after a manager's reset
(someone else knows it)."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db import transaction

from iro_service.signin.services import password_set_in_admin

User = get_user_model()


class StaffAccountAdmin(UserAdmin):
    """Django's own user admin; what it saves is then marked by ``password_set_in_admin``."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # The change form cannot set a password (it links to the page below); the add form can.
        if not change:
            password_set_in_admin(user=obj, done_by=request.user)

    def user_change_password(self, request, id, form_url=""):
        # One transaction, so that the password and its mark are saved together or not at all.
        with transaction.atomic():
            before = self.get_object(request, unquote(id))
            response = super().user_change_password(request, id, form_url)
            after = self.get_object(request, unquote(id))
            # Marked only when the password was saved: not for a form with errors, nor for
            # Django's "Conflicting form data" answer, which is a redirect as success is.
            if request.method == "POST" and before is not None and after.password != before.password:
                password_set_in_admin(user=after, done_by=request.user)
        return response


admin.site.unregister(User)
admin.site.register(User, StaffAccountAdmin)
