"""The registers' files as downloads, for the pages and the API alike: the stored file checked against its SHA-256
(409 if it changed), every download audited; a missing file is 404."""

from __future__ import annotations

from dangvu.core import ocr
from dangvu.core.errors import NotFound
from dangvu.core.files import serve


def outgoing(user, doc):
    if not doc.file:
        raise NotFound("file")
    return serve(by=user, stored=doc.file, sha256=doc.file_sha256, kind=doc.file_kind,
                 filename=f"van-ban-di-{doc.pk}.{doc.file_kind}", obj=doc, org_path=doc.org_path,
                 action="documents.outgoing_file", info={"symbol": doc.symbol})  # fmt: skip


def incoming(user, doc):
    if not doc.file:
        raise NotFound("file")
    return serve(by=user, stored=doc.file, sha256=doc.file_sha256, kind=doc.file_kind,
                 filename=f"van-ban-den-{doc.year}-{doc.arrival_number}.{doc.file_kind}", obj=doc,
                 org_path=doc.org_path, action="documents.incoming_file",
                 info={"arrival": f"{doc.arrival_number}/{doc.year}"})  # fmt: skip


def searchable_copy(user, doc, name: str):
    """The searchable PDF OCR made of a scan (the original stays as uploaded)."""
    copy = ocr.copy_of(doc)
    if copy is None or not copy.file:
        raise NotFound("ocr")
    return serve(by=user, stored=copy.file, sha256=copy.sha256, kind="pdf", filename=f"{name}-ocr.pdf", obj=doc,
                 org_path=doc.org_path, action="documents.ocr_file", info={"copy": copy.pk})  # fmt: skip


def delivered(user, x):
    """The document a delivery carries (the sender's signed file), for the recipient too."""
    doc = x.dispatch.outgoing
    if doc is None or not doc.file:
        raise NotFound("file")
    return serve(by=user, stored=doc.file, sha256=doc.file_sha256, kind=doc.file_kind,
                 filename=f"van-ban-{doc.pk}.{doc.file_kind}", obj=x, org_path=x.org_path,
                 action="documents.delivery_document", info={"symbol": doc.symbol})  # fmt: skip


def answer(user, x):
    if not x.file:
        raise NotFound("file")
    return serve(by=user, stored=x.file, sha256=x.file_sha256, kind=x.file_kind,
                 filename=f"bao-cao-{x.organisation.code}-{x.pk}.{x.file_kind}", obj=x, org_path=x.org_path,
                 action="documents.delivery_file", info={"dispatch": x.dispatch_id})  # fmt: skip
