#!/usr/bin/python3
"""Writes the self-check workbooks the importer's tests read, with writers independent of ours:
openpyxl (as Excel writes a workbook: shared strings, numbers as numbers, merged cells, styles)
and, for what openpyxl cannot produce (inline strings, formulas with and without a cached value,
hostile parts), Python's zipfile with the XML written out here.

    /usr/bin/python3 tests/sheets/make_sheets.py KIND OUT.xlsx [CATALOGUE.json]

Each KIND prints, on standard output, the answers it wrote as JSON lines
({"roleCode", "inSource"?, "outSource"?, "level"?, "target"?, "note"?}), so a test asserts
the parsed answers exactly."""
import datetime
import io
import json
import sys
import zipfile

KIND, OUT = sys.argv[1], sys.argv[2]
CATALOGUE = json.load(open(sys.argv[3], encoding="utf-8")) if len(sys.argv) > 3 else None


def roles():
    for f in CATALOGUE["functions"]:
        for r in f["roles"]:
            yield f, r


def isogj_workbook(variant):
    """The ISOG-J layout: 記入日, group labels over the level columns, a header row of numbers,
    one row per role with ● and ○, notes in 備考. `variant` changes what the spec lets vary."""
    import openpyxl
    from openpyxl.styles import Alignment, Font, PatternFill

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "入力シート" if variant != "renamed" else "Sheet1"
    shift = 2 if variant == "variations" else 0  # two extra columns before the grid
    code_col = 2 + shift
    in_first, out_first = 5 + shift, 11 + shift
    if variant == "variations":  # out-source written first
        in_first, out_first = out_first, in_first
    note_col = 17 + shift
    ws.cell(1, 1, "記入日")
    ws.cell(1, 2, datetime.date(2025, 3, 31))
    ws.cell(2, in_first, "インソース")
    ws.merge_cells(start_row=2, start_column=in_first, end_row=2, end_column=in_first + 5)
    ws.cell(2, out_first, "アウトソース")
    ws.merge_cells(start_row=2, start_column=out_first, end_row=2, end_column=out_first + 5)
    header = 4
    ws.cell(header, 1 + shift, "機能")
    ws.cell(header, code_col, "役割")
    ws.cell(header, 3 + shift, "役割名")
    ws.cell(header, 4 + shift, "領域")
    for k in range(6):
        value = str(k) if variant == "variations" else k  # numbers as text, or as numbers
        ws.cell(header, in_first + k, value)
        ws.cell(header, out_first + k, value)
    ws.cell(header, note_col, "備考")
    for c in range(1, note_col + 1):
        ws.cell(header, c).font = Font(bold=True)
        ws.cell(header, c).fill = PatternFill("solid", fgColor="DDEBF7")
    marks = ["●", "◉", "✓", "x", "1", "■", "✔", "X"] if variant == "variations" else ["●"]
    blank = ["○", "◯", "-", "0", None] if variant == "variations" else ["○"]
    row = header + 1
    expected = []
    for i, (f, r) in enumerate(roles()):
        if variant == "variations" and i % 9 == 4:
            ws.cell(row, code_col, "(comment row)")  # other text: ignored
            row += 2  # and a blank row
        code = r["code"]
        if variant == "variations":
            code = [code + ".", " " + code + " ", code.replace("-", "－"),
                    code.translate(str.maketrans("ABCDEFGHI-0123456789", "ＡＢＣＤＥＦＧＨＩ－０１２３４５６７８９"))][i % 4]
        else:
            code = code + "."
        ws.cell(row, code_col, code)
        ws.cell(row, 3 + shift, r["name"]["ja"])
        ws.cell(row, 1 + shift, f["code"] + ". " + f["name"]["ja"])
        answer = {"roleCode": r["code"]}
        inside = i % 6 if i % 7 != 3 else None
        outside = (i * 5) % 6 if i % 3 == 1 else None
        for first, level, key in ((in_first, inside, "inSource"), (out_first, outside, "outSource")):
            for k in range(6):
                mark = marks[i % len(marks)] if level == k else blank[(i + k) % len(blank)]
                if mark is not None:
                    ws.cell(row, first + k, int(mark) if mark in ("0", "1") and variant == "variations" else mark)
            if level is not None:
                answer[key] = level
        if i % 5 == 0:
            note = ["方針は文書化済み", "24/7 by the MSSP 🛡", "=HYPERLINK(\"http://x\")"][i % 3]
            ws.cell(row, note_col, note)
            ws.cell(row, note_col).data_type = "s"  # text, even when it starts with "="
            answer["note"] = note
        ws.cell(row, note_col).alignment = Alignment(wrap_text=True)
        expected.append(answer)
        row += 1
    # The function column is merged down over its roles, as the original sheet has it.
    wb.save(OUT)
    return expected


def xml_workbook(sheet_xml, strings=None, extra=None):
    """A workbook written part by part."""
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="入力シート" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": sheet_xml,
    }
    if strings is not None:
        parts["xl/sharedStrings.xml"] = strings
    parts.update(extra or {})
    with zipfile.ZipFile(OUT, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            z.writestr(name, text if isinstance(text, (bytes, str)) else text())


def inline(ref, text):
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def sheet(rows):
    body = "".join(f'<row r="{n}">{"".join(cells)}</row>' for n, cells in rows)
    return ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
            f'spreadsheetml/2006/main"><sheetData>{body}</sheetData></worksheet>')


def header_rows():
    cols = "EFGHIJ"
    outs = "KLMNOP"
    return [(1, [inline("E1", "インソース"), inline("K1", "アウトソース")]),
            (2, [inline("B2", "役割")] + [f'<c r="{c}2"><v>{k}</v></c>' for k, c in enumerate(cols)]
             + [f'<c r="{c}2"><v>{k}</v></c>' for k, c in enumerate(outs)] + [inline("Q2", "備考"), inline("R2", "目標")])]


def level_cells(row, level, cols="EFGHIJ", formula=False):
    cells = []
    for k, c in enumerate(cols):
        mark = "●" if k == level else "○"
        if formula and k == level:
            cells.append(f'<c r="{c}{row}" t="str"><f>IF(TRUE,"●","○")</f><v>●</v></c>')
        else:
            cells.append(inline(f"{c}{row}", mark))
    return cells


if KIND in ("isogj", "variations", "renamed"):
    for answer in isogj_workbook(KIND):
        print(json.dumps(answer, ensure_ascii=False))
elif KIND == "inline_and_formulas":
    rows = header_rows() + [
        (3, [inline("B3", "A-1.")] + level_cells(3, 4, formula=True) + [inline("Q3", "&#12354;&lt;b&gt;")]
         + ['<c r="R3"><v>5</v></c>']),
        (4, [inline("B4", "A-2")] + level_cells(4, 2) + level_cells(4, 3, "KLMNOP")),
    ]
    xml_workbook(sheet(rows))
    print(json.dumps({"roleCode": "A-1", "inSource": 4, "note": "あ<b>", "target": 5}, ensure_ascii=False))
    print(json.dumps({"roleCode": "A-2", "inSource": 2, "outSource": 3}))
elif KIND == "problems":
    rows = header_rows() + [
        (3, [inline("B3", "A-1")] + level_cells(3, 1)[:2] + [inline("G3", "△")] + level_cells(3, 1)[3:]),
        (4, [inline("B4", "A-2")] + [inline(f"{c}4", "●") for c in "EF"] + [inline(f"{c}4", "○") for c in "GHIJ"]),
        (5, [inline("B5", "A-1")] + level_cells(5, 3)),
        (6, [inline("B6", "A-99")] + level_cells(6, 3)),
        (7, [inline("B7", "A-3")] + level_cells(7, 3) + ['<c r="R7"><v>9</v></c>']),
        (8, [inline("B8", "A-4")] + ['<c r="E8" t="str"><f>X1</f></c>'] + level_cells(8, 2)[1:]),
        (9, [inline("B9", "A-5")] + level_cells(9, 2)),
    ]
    xml_workbook(sheet(rows))
    # The cells the problems name, in the order they are found.
    for cell in ("G3", "E4", "B5", "B6", "R7", "E8"):
        print(json.dumps({"cell": "入力シート!" + cell}))
elif KIND == "not_a_zip":
    open(OUT, "wb").write(b"PK\x03\x04 this is not really a workbook" * 100)
elif KIND == "bomb":
    # 60 MiB of shared strings (60,000 of 1 KiB) that compress to well under 1 MiB.
    big = ('<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
           + ("<si><t>" + "0" * 1024 + "</t></si>") * 61440 + "</sst>")
    xml_workbook(sheet(header_rows()), strings=big)
elif KIND == "lying_bomb":
    # The same bomb, its headers claiming the shared strings unpack to 1000 bytes.
    big = ('<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
           + ("<si><t>" + "0" * 1024 + "</t></si>") * 61440 + "</sst>")
    xml_workbook(sheet(header_rows()), strings=big)
    data = bytearray(open(OUT, "rb").read())
    name = b"xl/sharedStrings.xml"
    for signature, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = 0
        while (at := data.find(signature, at)) >= 0:
            name_at = at + (30 if signature == b"PK\x03\x04" else 46)
            if data[name_at:name_at + len(name)] == name:
                data[at + size_at:at + size_at + 4] = (1000).to_bytes(4, "little")
            at += 4
    open(OUT, "wb").write(bytes(data))
elif KIND == "dtd":
    laughs = ('<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
              '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>'
              '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&d;&d;&d;</t></si></sst>')
    xml_workbook(sheet(header_rows()), strings=laughs)
elif KIND == "deep":
    deep = ('<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            + "<x>" * 100000 + "</x>" * 100000 + "</worksheet>")
    xml_workbook(deep)
elif KIND == "bad_index":
    strings = '<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>A-1</t></si></sst>'
    rows = header_rows() + [(3, ['<c r="B3" t="s"><v>0</v></c>', '<c r="E3" t="s"><v>999</v></c>'])]
    xml_workbook(sheet(rows), strings=strings)
elif KIND == "million_rows":
    def rows_xml():
        out = io.StringIO()
        out.write('<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
        for n in range(1, 1000001):
            out.write(f'<row r="{n}"/>')
        out.write("</sheetData></worksheet>")
        return out.getvalue()
    xml_workbook(rows_xml())
else:
    sys.exit(f"unknown kind {KIND}")
