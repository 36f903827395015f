"""Heatmaps and screenshots: accepted by content, cleaned of metadata, served to members only.
Every file here is real, made by Pillow (or, for the bombs, by zlib as a PNG encoder would)."""

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from evidence import images
from evidence.models import Evidence


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def picture(fmt="PNG", size=(800, 600), mode="RGB", **options) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, "#c33").save(out, format=fmt, **options)
    return out.getvalue()


def png_bomb(width: int, height: int) -> bytes:
    """A 1-bit PNG whose pixels are all zero: a few KB that would decode to width*height pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    compressor = zlib.compressobj(9)
    row = b"\x00" * (1 + (width + 7) // 8)  # filter byte, then the packed bits
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


def upload(
    client, journey_map, stage, content: bytes, name="heatmap.png", content_type="image/png"
):
    return client.post(
        f"/api/maps/{journey_map.pk}/evidence/",
        {
            "kind": "image",
            "stage": stage.pk,
            "caption": "Checkout heatmap",
            "image": SimpleUploadedFile(name, content, content_type=content_type),
        },
        format="multipart",
    )


def stored_files(media_root) -> list:
    return [path for path in media_root.rglob("*") if path.is_file()]


@pytest.mark.parametrize(
    "fmt, mode, content_type",
    [
        ("PNG", "RGBA", "image/png"),
        ("JPEG", "RGB", "image/jpeg"),
        ("WEBP", "RGB", "image/webp"),
        ("GIF", "P", "image/gif"),
    ],
)
def test_accepted_formats_are_stored_under_random_names(
    client_for, bob, carol, journey_map, stages, media_root, fmt, mode, content_type
):
    response = upload(
        client_for(bob),
        journey_map,
        stages[0],
        picture(fmt, mode=mode),
        name="../../etc/my heatmap.png",
    )

    assert response.status_code == 201, response.data
    piece = Evidence.objects.get()
    assert (piece.width, piece.height) == (800, 600)
    assert "heatmap" not in piece.image.name and ".." not in piece.image.name
    assert len(stored_files(media_root)) == 2  # the picture and its thumbnail
    served = client_for(carol).get(response.data["image_url"])
    assert served.status_code == 200 and served["Content-Type"] == content_type
    assert Image.open(io.BytesIO(b"".join(served.streaming_content))).format == fmt


def test_thumbnail_is_480_pixels_wide(client_for, bob, carol, journey_map, stages):
    response = upload(client_for(bob), journey_map, stages[0], picture(size=(1920, 1080)))

    served = client_for(carol).get(response.data["thumbnail_url"])

    assert served.status_code == 200
    thumb = Image.open(io.BytesIO(b"".join(served.streaming_content)))
    assert thumb.size == (480, 270) and thumb.format == "WEBP"


def test_exif_is_removed_and_orientation_applied(client_for, bob, journey_map, stages):
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # taken rotated: shown turned 90 degrees clockwise
    exif[ExifTags.Base.Make] = "SpyCam"
    exif[ExifTags.Base.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (51.0, 30.0, 0.0),
    }
    original = picture("JPEG", size=(300, 200), exif=exif.tobytes())
    assert Image.open(io.BytesIO(original)).getexif()[ExifTags.Base.Make] == "SpyCam"

    response = upload(
        client_for(bob),
        journey_map,
        stages[0],
        original,
        name="photo.jpg",
        content_type="image/jpeg",
    )

    assert response.status_code == 201, response.data
    with Evidence.objects.get().image.open("rb") as stored:
        data = stored.read()
    clean = Image.open(io.BytesIO(data))
    assert clean.size == (200, 300)  # turned upright
    assert dict(clean.getexif()) == {} and "exif" not in clean.info
    assert b"SpyCam" not in data
    assert (response.data["width"], response.data["height"]) == (200, 300)


@pytest.mark.parametrize(
    "width, height",
    [
        (8000, 6000),  # 48 megapixels: over our limit, under Pillow's
        (10000, 10000),  # over Pillow's limit: its warning is a refusal here
        (20000, 20000),  # 400 megapixels: Pillow refuses it outright
    ],
)
def test_decompression_bomb_is_refused(
    client_for, bob, journey_map, stages, media_root, width, height
):
    bomb = png_bomb(width, height)
    assert len(bomb) < 200_000  # small on the wire, huge once decoded

    response = upload(client_for(bob), journey_map, stages[0], bomb)

    assert response.status_code == 400
    assert "megapixels" in response.data["image"][0]
    assert not Evidence.objects.exists() and stored_files(media_root) == []


@pytest.mark.parametrize(
    "content, name, content_type",
    [
        (b"\x89PNG\r\n\x1a\n" + b"not really a picture" * 50, "fake.png", "image/png"),
        (b"Quarterly numbers, honest", "notes.png", "image/png"),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "x.svg",
            "image/svg+xml",
        ),
        (picture()[:300], "cut.png", "image/png"),
        (picture("BMP"), "old.bmp", "image/bmp"),
        (picture("TIFF"), "scan.png", "image/png"),
    ],
    ids=["fake-png", "text-as-png", "svg", "truncated", "bmp", "tiff"],
)
def test_files_that_are_not_accepted_images_are_refused(
    client_for, bob, journey_map, stages, media_root, content, name, content_type
):
    response = upload(client_for(bob), journey_map, stages[0], content, name, content_type)

    assert response.status_code == 400 and "image" in response.data
    assert not Evidence.objects.exists() and stored_files(media_root) == []


def test_image_over_10_mb_is_refused(client_for, bob, journey_map, stages, media_root):
    response = upload(client_for(bob), journey_map, stages[0], b"\0" * (images.MAX_BYTES + 1))
    assert response.status_code == 400
    assert not Evidence.objects.exists() and stored_files(media_root) == []


def test_viewer_cannot_upload(client_for, carol, journey_map, stages, media_root):
    response = upload(client_for(carol), journey_map, stages[0], picture())
    assert response.status_code == 403
    assert stored_files(media_root) == []


def test_picture_is_served_only_to_members(client_for, bob, mallory, journey_map, stages):
    response = upload(client_for(bob), journey_map, stages[0], picture())

    assert client_for(mallory).get(response.data["image_url"]).status_code == 404
    assert client_for(mallory).get(response.data["thumbnail_url"]).status_code == 404
    assert client_for(None).get(response.data["image_url"]).status_code in (401, 403)


def test_picture_is_not_under_a_public_url(client_for, bob, journey_map, stages, client):
    upload(client_for(bob), journey_map, stages[0], picture())
    name = Evidence.objects.get().image.name
    assert client.get(f"/media/{name}").status_code == 404


def test_deleting_the_piece_deletes_its_files(
    client_for, bob, journey_map, stages, media_root, django_capture_on_commit_callbacks
):
    response = upload(client_for(bob), journey_map, stages[0], picture())

    with django_capture_on_commit_callbacks(execute=True):
        deleted = client_for(bob).delete(
            f"/api/maps/{journey_map.pk}/evidence/{response.data['id']}/"
        )

    assert deleted.status_code == 204
    assert stored_files(media_root) == []


def test_non_image_evidence_cannot_carry_a_file(client_for, bob, journey_map, stages, media_root):
    response = client_for(bob).post(
        f"/api/maps/{journey_map.pk}/evidence/",
        {
            "kind": "quote",
            "stage": stages[0].pk,
            "text": "Hi",
            "image": SimpleUploadedFile("a.png", picture(), content_type="image/png"),
        },
        format="multipart",
    )
    assert response.status_code == 400
    assert stored_files(media_root) == []


def test_caption_changes_but_the_picture_stays(client_for, bob, journey_map, stages):
    response = upload(client_for(bob), journey_map, stages[0], picture())
    detail = f"/api/maps/{journey_map.pk}/evidence/{response.data['id']}/"

    renamed = client_for(bob).patch(detail, {"caption": "Mobile checkout"}, format="json")
    replaced = client_for(bob).patch(detail, {"image": "x"}, format="json")

    assert renamed.status_code == 200 and renamed.data["caption"] == "Mobile checkout"
    assert replaced.status_code == 400 and "image" in replaced.data


def test_prune_deletes_files_of_pieces_gone_with_their_stage(
    client_for, alice, bob, journey_map, stages, media_root
):
    from django.core.management import call_command

    from workshops import services as map_services

    upload(client_for(bob), journey_map, stages[0], picture())
    kept = upload(client_for(bob), journey_map, stages[1], picture())
    map_services.stage_delete(actor=alice, map=journey_map, stage_id=stages[0].pk)
    assert len(stored_files(media_root)) == 4  # the cascade left the first picture's files

    call_command("prune_evidence_files")

    assert len(stored_files(media_root)) == 2
    assert client_for(bob).get(kept.data["image_url"]).status_code == 200
