"""Django's JSON fixture format, with times to the microsecond.

Django's JSON encoder cuts a time to the millisecond (for ECMA-262), so a dump of answers saved at
ordinary times would not restore to the same answers. Read back by Django's own JSON deserializer.
"""

import datetime

from django.core.serializers import json
from django.core.serializers.json import DjangoJSONEncoder


class ExactJSONEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time) and o.microsecond:
            return o.isoformat()
        return super().default(o)


class Serializer(json.Serializer):
    def _init_options(self):
        super()._init_options()
        self.json_kwargs["cls"] = ExactJSONEncoder


Deserializer = json.Deserializer
