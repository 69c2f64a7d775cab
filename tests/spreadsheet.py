"""A CSV opened as French Excel opens it, by a real spreadsheet program: LibreOffice Calc
(Debian's ``libreoffice-calc-nogui``), run headless, converts it to xlsx with the French
locale, number and date detection and formulas evaluated; openpyxl then reads the cells with
their types (the values Calc computed, not its formulas)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from helpers import debian_program_or_skip

SOFFICE = Path(os.environ.get("VIGIE_SOFFICE", "/usr/bin/soffice"))
#: CSV import options: ';' separator, '"' quote, UTF-8 (76), from line 1, standard cell
#: formats, French (1036), quoted fields not forced to text, special numbers (dates, times)
#: detected, ..., formulas evaluated: what a double-click in French Excel does
FRENCH_EXCEL = "CSV:59,34,76,1,,1036,false,true,false,false,false,-1,true"


def soffice_or_skip() -> Path:
    return debian_program_or_skip(
        SOFFICE,
        package="libreoffice-calc-nogui",
        variable="VIGIE_SOFFICE",
        needed_for="open the downloads in a spreadsheet program",
    )


def open_like_excel(csv_path: Path, work: Path) -> list[list]:
    """The cells of ``csv_path`` (rows of openpyxl cells) once a spreadsheet opened it."""
    import openpyxl

    soffice = soffice_or_skip()
    work.mkdir(parents=True, exist_ok=True)
    source = work / "download.csv"
    source.write_bytes(csv_path.read_bytes())
    subprocess.run(
        [
            str(soffice),
            "--headless",
            "--norestore",
            f"-env:UserInstallation=file://{work}/lo",
            "--convert-to",
            "xlsx",
            "--infilter=" + FRENCH_EXCEL,
            "--outdir",
            str(work),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    book = openpyxl.load_workbook(work / "download.xlsx", data_only=True)
    return [list(row) for row in book.active.iter_rows()]
