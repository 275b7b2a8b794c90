"""Django's ModelBackend, reading the signed-in person in one query.

Every page asks who is signed in, which force they lead (the navigation, and a lead's own pages) and
whether they are portfolio staff (a permission, directly or through a group). Django reads those
in four queries: the user, their membership, their own permissions, their groups' permissions. Here
it is one: the user with their membership and its force joined, and every permission they hold,
their own and their groups', gathered by a subquery into one column. Nothing is kept between
requests, so a change in the admin (a new lead, a permission taken away) counts from the next page.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL

# Every permission the user holds, directly or through a group, as "app_label.codename" joined by a
# space (a codename is a slug: Django's own, and every one of this project's). `auth_user` is the
# outer query's table.
_PERMISSIONS_SQL = """
    SELECT {aggregate}
    FROM auth_permission p JOIN django_content_type ct ON ct.id = p.content_type_id
    WHERE p.id IN (
        SELECT up.permission_id FROM auth_user_user_permissions up WHERE up.user_id = auth_user.id
        UNION
        SELECT gp.permission_id FROM auth_group_permissions gp
        JOIN auth_user_groups ug ON ug.group_id = gp.group_id WHERE ug.user_id = auth_user.id
    )
"""
_AGGREGATE = {
    "postgresql": "string_agg(ct.app_label || '.' || p.codename, ' ')",
    "sqlite": "group_concat(ct.app_label || '.' || p.codename, ' ')",
}


def _permissions_column():
    aggregate = _AGGREGATE.get(connection.vendor)
    return RawSQL(_PERMISSIONS_SQL.format(aggregate=aggregate), ()) if aggregate else None


class SignedInBackend(ModelBackend):
    def get_user(self, user_id):
        User = get_user_model()
        users = User._default_manager.select_related("force_membership__force")
        if (permissions := _permissions_column()) is not None:
            users = users.annotate(held_permissions=permissions)
        try:
            user = users.get(pk=user_id)
        except User.DoesNotExist:
            return None
        if not user.is_superuser and hasattr(user, "held_permissions"):
            user._perm_cache = set((user.held_permissions or "").split())
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
