"""WhiteNoise's compressed, content-hashed static files, with each file's address worked out once.

Every page asks for the same four addresses (the layout's style sheets and scripts). With DEBUG off the
hashed names come from the manifest, read when the process starts and never changed while it runs
(a new collectstatic needs a restart to be served at all), so an address once worked out stays right;
Django's storage would work it out again on every page.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._addresses: dict[str, str] = {}

    def url(self, name, force=False):
        if force:
            return super().url(name, force=True)
        address = self._addresses.get(name)
        if address is None:
            address = self._addresses[name] = super().url(name)
        return address
