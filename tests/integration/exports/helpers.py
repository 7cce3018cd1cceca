"""Exports tests' tools: issued documents with their PDFs stored, the export tasks run as a worker does."""

from __future__ import annotations

import io
import zipfile
from xml.etree import ElementTree

from django.core.files.storage import default_storage
from django.test import Client
from django_tasks.base import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from faktura.apps.accounts.models import Organization, User
from faktura.apps.invoicing.models import Document
from faktura.apps.invoicing.services import BuyerDetails, document_issue
from faktura.apps.invoicing.services.rendering import document_render
from tests import factories as make

RUN = "faktura.apps.exports.tasks.export_run"


def issued(
    org: Organization, *, render: bool = True, buyer: BuyerDetails = make.RO_BUYER, **options: object
) -> Document:
    draft = make.draft(org, buyer=buyer, **options)
    document = document_issue(actor=make.TEST_ACTOR, organization=org, document_id=draft.pk)
    if render:
        document = document_render(document_id=document.pk)
    return document


def stored(document: Document) -> bytes:
    document.refresh_from_db()
    with default_storage.open(document.pdf.name, "rb") as file:
        return file.read()


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def run_exports(task_path: str = RUN) -> int:
    """Run the queued export tasks that are due, as ``faktura worker`` would, in this process."""
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="exports-tests",
        excluded_queue_names=[],
    )
    ran = 0
    for task in DBTaskResult.objects.ready().filter(task_path=task_path):
        task.claim(worker.worker_id)
        worker.run_task(task)
        ran += 1
    return ran


def task_states(task_path: str = RUN) -> list[str]:
    return [TaskResultStatus(t.status).value for t in DBTaskResult.objects.filter(task_path=task_path)]


def xlsx_rows(data: bytes) -> list[list[object]]:
    """The first sheet's cells, read from the XML: strings as text, numbers as floats, with the cell type."""
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    archive = zipfile.ZipFile(io.BytesIO(data))
    shared: list[str] = []
    if "xl/sharedStrings.xml" in archive.namelist():
        root = ElementTree.fromstring(archive.read("xl/sharedStrings.xml"))
        shared = ["".join(t.text or "" for t in si.iter(f"{{{ns['m']}}}t")) for si in root.findall("m:si", ns)]
    sheet = ElementTree.fromstring(archive.read("xl/worksheets/sheet1.xml"))
    rows: list[list[object]] = []
    for row in sheet.iter(f"{{{ns['m']}}}row"):
        cells: list[object] = []
        for cell in row.findall("m:c", ns):
            column = 0
            for letter in (cell.get("r") or "A").rstrip("0123456789"):
                column = column * 26 + ord(letter) - 64
            cells += [None] * (column - 1 - len(cells))
            kind = cell.get("t")
            if kind == "s":
                cells.append(shared[int(cell.findtext("m:v", namespaces=ns) or "0")])
            elif kind == "inlineStr":
                cells.append("".join(t.text or "" for t in cell.iter(f"{{{ns['m']}}}t")))
            else:
                cells.append(float(cell.findtext("m:v", namespaces=ns) or "nan"))
        rows.append(cells)
    return rows
