"""Privacy of a study and of everything its build publishes.

- :mod:`~ol_analysis.privacy.scan`: identifiers in text (BSN, e-mail, phone, postcode, IBAN,
  date of birth, street address, deny-listed names, names where a handle belongs).
- :mod:`~ol_analysis.privacy.extract`: the text of each output format (Markdown, HTML, JSON,
  CSV, DOCX, REFI-QDA ``.qdpx``, SQLite), part by part; a file that cannot be read is a finding.
- :mod:`~ol_analysis.privacy.audit`: the re-identification audit (k-anonymity of the profile
  attributes an output publishes per case, rare terms in quotes and narratives), pure functions.
- :mod:`~ol_analysis.privacy.allow`: the reviewed allow-list.
- :mod:`~ol_analysis.privacy.outputs`: all of it over a folder of outputs (``privacy --outputs``,
  and the build before it swaps a new build in).
"""

from __future__ import annotations

from ol_analysis.privacy.scan import (
    Allowed,
    PrivacyLists,
    default_deny_list,
    eleven_test,
    fold,
    iban_valid,
    mask,
    read_allow_list,
    read_deny_list,
    read_lists,
    scan_text,
)

__all__ = [
    "Allowed",
    "PrivacyLists",
    "default_deny_list",
    "eleven_test",
    "fold",
    "iban_valid",
    "mask",
    "read_allow_list",
    "read_deny_list",
    "read_lists",
    "scan_text",
]
