"""Static files storage: hashed, compressed names for cache-busting once collected."""

from urllib.parse import urljoin

from django.utils.encoding import filepath_to_uri
from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    """Serve hashed names when `collectstatic` has run, and plain names before (tests, development)."""

    manifest_strict = False

    def url(self, name, force=False):
        try:
            return super().url(name, force)
        except ValueError:
            # Not collected yet: the finders serve the file under its plain name.
            return urljoin(self.base_url, filepath_to_uri(name))

    def url_converter(self, name, hashed_files, template=None):
        """Rewrite references to hashed names, but leave a fragment written %23… (an SVG mask inside a data: URL, as
        leaflet-geoman's icons have) as it is: Django would read it as a file and break the icon."""
        convert = super().url_converter(name, hashed_files, template)

        def converter(matchobj):
            if matchobj.groupdict().get("url", "").startswith("%23"):
                return matchobj.groupdict()["matched"]
            return convert(matchobj)
        return converter
