"""The bundle's manifest.csv is opened in Excel: typed text must stay text."""

import csv
import io

from evidence.bundle import ManifestRow, manifest_csv


def test_formula_like_captions_are_written_as_text() -> None:
    rows = [
        ManifestRow("สพ 3-1 (1)", '=HYPERLINK("http://x.example","คลิก")', "", None, "", "", ""),
        ManifestRow("สพ 3-1 (2)", "+66 2 504 7788", "", None, "", "", ""),
        ManifestRow("สพ 3-1 (3)", "@SUM(A1)", "", None, "", "", ""),
        ManifestRow("สพ 3-1 (4)", "รายงานการประชุม - ครั้งที่ 1/2563", "", None, "", "", ""),
    ]
    data = manifest_csv(rows).decode("utf-8-sig")
    captions = [row[1] for row in csv.reader(io.StringIO(data))][1:]
    assert captions == [
        '\'=HYPERLINK("http://x.example","คลิก")',
        "'+66 2 504 7788",
        "'@SUM(A1)",
        "รายงานการประชุม - ครั้งที่ 1/2563",  # a dash inside the text is left alone
    ]
