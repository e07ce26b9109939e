from pathlib import Path

import pytest

# The 34 invented procedures the catalogue was first built with: the import, export and page
# tests use them as a small known catalogue (the demo's catalogue is real, fixtures/).
INVENTED = Path(__file__).with_name("catalogue_invented.json")


def load_invented_catalogue():
    from thutuc.catalogue.demo import attach_demo_templates, demo_dataset
    from thutuc.catalogue.resources import CatalogueLoadResource

    result = CatalogueLoadResource().import_data(demo_dataset(INVENTED), dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors(), result.invalid_rows
    attach_demo_templates()


@pytest.fixture
def catalogue(province):
    """The demo province with the invented sample catalogue."""
    from thutuc.models import Procedure

    load_invented_catalogue()
    assert Procedure.objects.filter(is_sample=True).count() >= 30
    return province
