"""Fixtures of the REFI-QDA tests: the official XSDs, loaded once, and the studies to export."""

from __future__ import annotations

from pathlib import Path

import pytest

xmlschema = pytest.importorskip("xmlschema")

REPO = Path(__file__).resolve().parents[2]


def _xsd_folder() -> Path:
    """``shared/refi-qda`` beside the repository (as in CI), or ``$OL_REFI_XSD``."""
    import os

    given = os.environ.get("OL_REFI_XSD")
    for folder in ([Path(given)] if given else []) + [
        REPO.parent / "shared" / "refi-qda",
        Path("/work/shared/refi-qda"),
    ]:
        if (folder / "Project.xsd").is_file():
            return folder
    pytest.skip("the REFI-QDA XSDs (shared/refi-qda) are not beside the repository")


@pytest.fixture(scope="session")
def codebook_xsd() -> object:
    return xmlschema.XMLSchema(str(_xsd_folder() / "Codebook.xsd"))


@pytest.fixture(scope="session")
def project_xsd() -> object:
    return xmlschema.XMLSchema(str(_xsd_folder() / "Project.xsd"))
