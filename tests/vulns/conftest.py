import pytest

from ramparts.vulns import facet_columns, text_columns


@pytest.fixture
def data_dir(settings, tmp_path):
    """A data directory of the test's own, and no snapshot held by this process: the next comes from
    a file there or is built."""
    settings.DATA_DIR = tmp_path
    facet_columns.forget()
    text_columns.forget()
    return tmp_path / "snapshots"
