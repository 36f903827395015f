"""How much memory checking uploaded pictures costs at the pixel limit, several at once.

    .venv/bin/python bench/image_memory.py                 # 4 uploads at once, 40 megapixels
    .venv/bin/python bench/image_memory.py --uploads 8     # more at once

One small PNG of 8000 x 5000 pixels (40 megapixels, about a hundred KB: one colour compresses
to nothing) is made first; then each run is a fresh Python process (so that its peak is its
own), which checks and re-encodes the file through evidence/images.py's `prepare` in N threads
at once, as N uploads served by N threads would. It prints the process's peak resident memory
(ru_maxrss) less what it held before the uploads. `--module` measures another copy of images.py (for
instance the version before a change, saved to a file), to compare.
"""

import argparse
import importlib.util
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WIDTH, HEIGHT = 8000, 5000


def picture() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (WIDTH, HEIGHT), (250, 250, 250)).save(out, format="PNG")
    return out.getvalue()  # made in the parent: its 120 MB must not count in a child's peak


def peak_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux


def load(module_path: str | None):
    if module_path is None:
        from evidence import images

        return images
    spec = importlib.util.spec_from_file_location("measured_images", module_path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def measure(uploads: int, module_path: str | None, data: bytes) -> dict:
    """In this process: the peak growth while `uploads` threads prepare the picture at once."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cjm.settings")
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile

    images = load(module_path)
    before = peak_kib()
    errors = []

    def upload():
        try:
            images.prepare(SimpleUploadedFile("heatmap.png", data, content_type="image/png"))
        except Exception as error:  # reported, not raised: the measure is of memory
            errors.append(repr(error))

    threads = [threading.Thread(target=upload) for _ in range(uploads)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {
        "uploads": uploads,
        "file_kib": round(len(data) / 1024),
        "megapixels": WIDTH * HEIGHT / 1e6,
        "peak_growth_mib": round((peak_kib() - before) / 1024),
        "seconds": round(time.perf_counter() - started, 2),
        "errors": errors,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--uploads", type=int, default=4)
    parser.add_argument("--module", help="path of another images.py to measure")
    parser.add_argument("--child", help=argparse.SUPPRESS)  # the PNG's path, in a child
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.uploads, args.module, Path(args.child).read_bytes())))
        return
    with tempfile.NamedTemporaryFile(suffix=".png") as png:
        png.write(picture())
        png.flush()
        for uploads in sorted({1, args.uploads}):
            command = [sys.executable, __file__, "--child", png.name, "--uploads", str(uploads)]
            if args.module:
                command += ["--module", args.module]
            env = {**os.environ, "PYTHONPATH": str(ROOT)}
            result = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
            print(result.stdout.strip())


if __name__ == "__main__":
    main()
