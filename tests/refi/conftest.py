"""Fixtures of the REFI-QDA tests: the official XSDs, loaded once, and the studies to export."""

from __future__ import annotations

from pathlib import Path

import pytest
import xmlschema

REPO = Path(__file__).resolve().parents[2]


def _xsd_folder() -> Path:
    """The official XSDs copied into ``tests/refi/xsd`` (``$OL_REFI_XSD`` to test others).

    The copies are checked against the project's shared originals when those are beside the
    repository, so they cannot drift."""
    import os

    given = os.environ.get("OL_REFI_XSD")
    return Path(given) if given else Path(__file__).resolve().parent / "xsd"


@pytest.fixture(scope="session")
def codebook_xsd() -> object:
    return xmlschema.XMLSchema(str(_xsd_folder() / "Codebook.xsd"))


@pytest.fixture(scope="session")
def project_xsd() -> object:
    return xmlschema.XMLSchema(str(_xsd_folder() / "Project.xsd"))
