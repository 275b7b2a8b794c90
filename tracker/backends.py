"""Django's ModelBackend, reading the signed-in person in fewer queries.

Every page asks who is signed in, which force they lead (the navigation, and a lead's own pages) and
whether they are portfolio staff (a permission, directly or through a group). Django reads those
in four queries: the user, their membership, their own permissions, their groups' permissions. Here
it is two: the user with their membership and its force, joined; and every permission they hold,
their own and their groups', at once. Nothing is kept between requests, so a change in the admin
(a new lead, a permission taken away) counts from the next page.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import Q


class SignedInBackend(ModelBackend):
    def get_user(self, user_id):
        User = get_user_model()
        try:
            user = User._default_manager.select_related("force_membership__force").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            permissions = Permission.objects.all()
            if not user_obj.is_superuser:
                permissions = permissions.filter(Q(user=user_obj) | Q(group__user=user_obj))
            user_obj._perm_cache = {
                f"{app_label}.{codename}"
                for app_label, codename in permissions.values_list("content_type__app_label", "codename").order_by()
            }
        return user_obj._perm_cache
