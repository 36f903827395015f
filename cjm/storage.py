"""Static files storage for production: hashed names all the way down the ES-module graph.

The board's scripts are ES modules that import each other (`import { Store } from "./store.js"`).
WhiteNoise serves a hashed name for ten years and an unhashed one for 60 seconds, so an entry
point that imports unhashed siblings could run new code against cached old modules after a
deploy. Django's manifest storage rewrites module imports to hashed names when asked to.

It names a file by the hash of its rewritten content, which needs the hashed names of the
modules it imports first: static/js must stay free of import cycles (dom.js exists for that),
else collectstatic stops with "Max post-process passes exceeded"; tests/cjm checks both.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    support_js_module_import_aggregation = True
