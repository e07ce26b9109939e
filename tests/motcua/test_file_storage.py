"""Files go through Django's storage API: the local folder in the embedded run, an
S3-compatible object store when FILE_STORAGE=s3 (django-storages), private objects."""

from tests.test_settings import run

PROBE = (
    "import django; django.setup(); from django.core.files.storage import storages; "
    "s = storages['default']; "
    "print(type(s).__name__, s.bucket_name, s.default_acl, s.file_overwrite, s.endpoint_url)"
)


def test_the_s3_switch_is_real():
    result = run(
        ["-c", PROBE],
        {"FILE_STORAGE": "s3", "S3_BUCKET": "motcua-ho-so", "S3_ENDPOINT_URL": "https://s3.minhson.gov.vn"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "S3Storage",
        "motcua-ho-so",
        "private",
        "False",
        "https://s3.minhson.gov.vn",
    ]


def test_the_embedded_run_keeps_files_in_media_root():
    result = run(
        [
            "-c",
            "import django; django.setup(); from django.core.files.storage import storages; "
            "print(type(storages['default']).__name__)",
        ],
        {},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["FileSystemStorage"]


def test_an_unknown_storage_refuses_to_start():
    result = run(["-c", PROBE], {"FILE_STORAGE": "ftp"})
    assert result.returncode != 0 and "FILE_STORAGE" in result.stderr
