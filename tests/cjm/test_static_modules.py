"""After collectstatic, hashed ES modules import hashed modules only.

A hashed file is cached for ten years and an unhashed one for 60 seconds: a hashed entry point
importing an unhashed sibling could run new code against old modules after a deploy.
"""

import re
import shutil

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

HASHED = re.compile(r"^(?P<stem>.+)\.(?P<hash>[0-9a-f]{12})\.js$")
RELATIVE_IMPORT = re.compile(r"""\b(?:import|export)\b[^;]*?\bfrom\s*["'](\./[^"']+)["']""")
OUR_STATIC = settings.BASE_DIR / "static"


def collect(static_dir, root):
    """Our static files as production collects them (the apps' own files are left out: they
    take most of a minute to compress and hold no module of ours)."""
    storages = {**settings.STORAGES, "staticfiles": {"BACKEND": "cjm.storage.StaticFilesStorage"}}
    with override_settings(
        STATIC_ROOT=root,
        STORAGES=storages,
        STATICFILES_DIRS=[static_dir],
        STATICFILES_FINDERS=["django.contrib.staticfiles.finders.FileSystemFinder"],
    ):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root / "js"


def hashed_modules(js_dir):
    return [path for path in js_dir.glob("*.js") if HASHED.match(path.name)]


def hashed_board(js_dir):
    (board,) = [
        path for path in hashed_modules(js_dir) if HASHED.match(path.name)["stem"] == "board"
    ]
    return board


def imports(path):
    return RELATIVE_IMPORT.findall(path.read_text())


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    return collect(OUR_STATIC, tmp_path_factory.mktemp("static"))


def test_the_board_imports_hashed_modules(collected):
    stores = [name for name in imports(hashed_board(collected)) if name.startswith("./store.")]
    assert len(stores) == 1
    assert HASHED.match(stores[0].removeprefix("./")), stores
    assert (collected / stores[0]).exists()


def test_no_hashed_module_imports_an_unhashed_one(collected):
    modules = hashed_modules(collected)
    sources = {path.name for path in (OUR_STATIC / "js").glob("*.js")}
    assert {HASHED.match(path.name)["stem"] + ".js" for path in modules} >= sources
    for module in modules:
        for name in imports(module):
            target = name.removeprefix("./")
            assert HASHED.match(target), f"{module.name} imports {name}"
            assert (collected / target).exists(), f"{module.name} imports missing {name}"


def test_a_change_deep_down_renames_the_board(tmp_path):
    # render.js and evidence-marks.js import each other, so names come from the sources of every
    # module reached: a change to format.js, which the board imports only through other modules,
    # renames the board too.
    changed = tmp_path / "changed"
    shutil.copytree(OUR_STATIC, changed)
    with open(changed / "js" / "format.js", "a") as module:
        module.write("\n// changed\n")
    before = hashed_board(collect(OUR_STATIC, tmp_path / "before"))
    after = hashed_board(collect(changed, tmp_path / "after"))
    assert before.name != after.name
    assert imports(before) != imports(after)


def test_the_modules_import_one_another_without_a_cycle():
    # Django names a module by the hash of its content with hashed imports: in a cycle, neither
    # name settles and collectstatic fails ("Max post-process passes exceeded").
    graph = {
        path.name: [name.removeprefix("./") for name in imports(path)]
        for path in (OUR_STATIC / "js").glob("*.js")
    }

    def cycle_from(module, trail):
        if module in trail:
            return trail[trail.index(module) :] + [module]
        return next(
            (
                found
                for used in graph.get(module, [])
                if (found := cycle_from(used, trail + [module]))
            ),
            None,
        )

    cycles = [found for module in graph if (found := cycle_from(module, []))]
    assert not cycles, " -> ".join(cycles[0])
