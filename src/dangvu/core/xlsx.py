"""Excel files produced for download: saved to a temporary file (the response streams and closes it)."""

import tempfile

from django.http import FileResponse

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def save_temp(wb):
    """The workbook written to an open temporary file, rewound for reading."""
    tmp = tempfile.NamedTemporaryFile(suffix=".xlsx")  # noqa: SIM115 (the response closes it)
    wb.save(tmp)
    tmp.seek(0)
    return tmp


def response(tmp, filename: str) -> FileResponse:
    return FileResponse(tmp, as_attachment=True, filename=filename, content_type=XLSX)
