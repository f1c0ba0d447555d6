"""Build the REFI-QDA fixtures in tests/data/refi/: small projects in the shapes other tools write.

    python tools/build_refi_fixtures.py

Each file imitates what one tool really writes (checked against the real
exports in ../shared/peers and the REFI-QDA examples), with fictional Danish
interviews instead of the real content:

- nvivo_shape.qdpx: NVivo 12 (Windows): ``Sources/`` in upper case, CRLF text
  with a BOM next to a .docx, empty ``<Description />``s, a non-codable parent
  code, Codings stamped with their code's user and time (dated before the
  selection, which carries the coder), a case per
  participant with variables, a code memo and a project memo, and a second
  coder who coded far less than the first.
- atlas_shape.qdpx: ATLAS.ti 8 (macOS): ``Project.qde``, upper-case GUIDs,
  quotation comments, free notes, a note on a quotation (Link), code groups
  and document groups as Sets, a picture, a PDF whose representation text and
  PDF selection share GUIDs, a video with a transcript and sync points, a
  network.
- maxqda_shape.qdpx: MAXQDA 24: upper-case GUIDs, only ``modifiedDateTime`` on
  the project, document sets, segment comments.
- qualcoder_shape.qdpx: QualCoder 3: journal notes as files, an annotation
  note holding a selection, a PDF with its representation text, an audio
  source with a transcript and a transcript selection, typed variables,
  cases with descriptions, a project description.
- odd_paths.qdpx: a bare ``plainTextPath`` name, ``Sources/x`` written with a
  relative path, an ``absolute://`` path of the exporting machine whose file
  came along, a path that tries to leave the archive, a PDF without
  representation (text read by pypdf), and two codes sharing one GUID.
- unzipped/: a project.qde next to its sources/ folder.
- taguette_shape.qdc: Taguette 1.4's codebook (flat codes named by path,
  an empty ``<Sets/>`` inside the CodeBook).
"""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "data" / "refi"
HEAD = '<?xml version="1.0" encoding="utf-8"?>\n'
NS = 'xmlns="urn:QDA-XML:project:1.0"'


def g(prefix: str, n: int, upper: bool = False) -> str:
    """A readable fixed GUID: prefix (4 hex digits) + number."""
    value = f"{prefix}0000-1700-4000-8000-{n:012d}"
    return value.upper() if upper else value


def pos(text: str, words: str) -> tuple[int, int]:
    start = text.index(words)
    return start, start + len(words)


def esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def docx_bytes(paragraphs: list[str]) -> bytes:
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def pdf_bytes(lines: list[str]) -> bytes:
    """A one-page PDF with a text layer (Helvetica, WinAnsi: æ, ø and å included)."""
    content = "BT /F1 12 Tf 72 760 Td 16 TL " + " ".join(
        "(" + line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ") '" for line in lines) + " ET"
    stream = content.encode("cp1252")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for k, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{k} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for off in offsets:
        out.write(f"{off:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def write(name: str, qde: str, files: dict[str, bytes], qde_name: str = "project.qde") -> None:
    with zipfile.ZipFile(OUT / name, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(qde_name, (HEAD + qde).encode("utf-8"))
        for member, data in files.items():
            archive.writestr(member, data)


def selection(guid: str, text: str, words: str, user: str, codings: list[tuple[str, str, str]], extra: str = "",
              sel_user: str | None = None, when: str = "2025-03-04T10:00:00Z", coded_when: str | None = None) -> str:
    """A PlainTextSelection of ``words`` with Codings (guid, code guid, user), made at ``when``.

    ``coded_when`` is the Codings' time if it differs (NVivo stamps a Coding with its code's creation).
    """
    a, b = pos(text, words)
    inner = "".join(
        f'<Coding guid="{cg}" creatingUser="{cu}" creationDateTime="{coded_when or when}"><CodeRef targetGUID="{code}"/></Coding>'
        for cg, code, cu in codings)
    return (f'<PlainTextSelection guid="{guid}" name="{esc(words[:40])}" startPosition="{a}" endPosition="{b}"'
            f' creatingUser="{sel_user or user}" creationDateTime="{when}">{extra}{inner}</PlainTextSelection>')


# -- NVivo 12 (Windows) ---------------------------------------------------------------------
NVIVO_TEXT = (
    "I: Hvordan oplever du samarbejdet mellem afdelingerne?\n"
    "IP: Vi måles kun på vores egne mål. Det spænder ben for samarbejdet. Der er ikke tid til fælles møder.\n"
    "I: Hvad gør det svært?\n"
    "IP: Budgettet er skåret ned. Alle løber stærkt. Ingen ved, hvem der har ansvaret for borgeren.\n"
    "I: Hvad hjælper så?\n"
    "IP: Når ledelsen bakker op, sker der noget. Vores direktør går forrest. Vi kender hinanden fra før.\n"
    "I: Og de frivillige?\n"
    "IP: Dem har vi tillid til. De kommer hver uge. Uden dem gik det ikke.\n"
)
NVIVO_DOCX = ["I: Fortæl om jeres møder.", "IP: Vi mødes hver fjortende dag med jobcentret.",
              "IP: Det giver et fælles billede af borgeren."]


def nvivo() -> None:
    mette, jonas = g("a001", 1), g("a001", 2)
    c = {k: g("c001", i) for i, k in enumerate(["barrierer", "maal", "tid", "oekonomi", "ansvar", "drivkraefter",
                                                 "ledelse", "tillid", "frivillige"], start=1)}
    s1, s2 = g("5001", 1), g("5001", 2)
    crlf = NVIVO_TEXT.replace("\n", "\r\n")
    mette_codes = [  # sentence, code
        ("Vi måles kun på vores egne mål.", "maal"), ("Det spænder ben for samarbejdet.", "maal"),
        ("Der er ikke tid til fælles møder.", "tid"), ("Budgettet er skåret ned.", "oekonomi"),
        ("Alle løber stærkt.", "tid"), ("Ingen ved, hvem der har ansvaret for borgeren.", "ansvar"),
        ("Når ledelsen bakker op, sker der noget.", "ledelse"), ("Vores direktør går forrest.", "ledelse"),
        ("Vi kender hinanden fra før.", "tillid"), ("Dem har vi tillid til.", "tillid"),
        ("De kommer hver uge.", "frivillige"), ("Uden dem gik det ikke.", "frivillige"),
    ]
    jonas_codes = [("Vi måles kun på vores egne mål.", "maal"), ("Vores direktør går forrest.", "tillid")]
    sels = []
    n = 0
    for user, plan in ((mette, mette_codes), (jonas, jonas_codes)):
        for words, code in plan:
            n += 1
            # NVivo: the selection is the coding reference, stamped with its coder and time; the Coding in it
            # carries the code's own stamp (Mette built the codebook on 1 March), the same for every use of the code
            sels.append(selection(g("e001", n), crlf, words, user, [(g("f001", n), c[code], mette)],
                                  extra="<Description />", when=f"2025-03-04T10:{n:02d}:00Z",
                                  coded_when="2025-03-01T09:00:00Z"))
    d1 = "\n".join(NVIVO_DOCX)
    n += 1
    docx_sel = selection(g("e001", n), d1, "Det giver et fælles billede af borgeren.", mette,
                         [(g("f001", n), c["tillid"], mette)], extra="<Description />", when="2025-03-04T11:00:00Z",
                         coded_when="2025-03-01T09:00:00Z")
    role, kommune = g("b001", 1), g("b001", 2)
    qde = f"""<Project xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" name="Samarbejde på tværs" origin="NVivo for Windows 12.6" creatingUserGUID="{mette}" creationDateTime="2025-03-01T09:00:00Z" modifyingUserGUID="{jonas}" modifiedDateTime="2025-03-09T16:00:00Z" basePath="" {NS}>
  <Users>
    <User guid="{mette}" name="Mette" />
    <User guid="{jonas}" name="Jonas" />
  </Users>
  <CodeBook>
    <Codes>
      <Code guid="{c['barrierer']}" name="Barrierer" isCodable="false">
        <Description>Det der hæmmer samarbejdet.</Description>
        <Code guid="{c['maal']}" name="Målstyring" isCodable="true"><Description /></Code>
        <Code guid="{c['tid']}" name="Tidspres" isCodable="true" />
        <Code guid="{c['oekonomi']}" name="Økonomi" isCodable="true" />
        <Code guid="{c['ansvar']}" name="Uklart ansvar" isCodable="true"><NoteRef targetGUID="{g('d001', 1)}" /></Code>
      </Code>
      <Code guid="{c['drivkraefter']}" name="Drivkræfter" isCodable="true">
        <Code guid="{c['ledelse']}" name="Ledelsesopbakning" isCodable="true" />
        <Code guid="{c['tillid']}" name="Tillid" isCodable="true" />
        <Code guid="{c['frivillige']}" name="Frivillige" isCodable="true" />
      </Code>
    </Codes>
  </CodeBook>
  <Variables>
    <Variable guid="{role}" name="role" typeOfVariable="Text" />
    <Variable guid="{kommune}" name="municipality" typeOfVariable="Text"><Description>Kommunen</Description></Variable>
  </Variables>
  <Cases>
    <Case guid="{g('ca01', 1)}" name="Birgitte">
      <VariableValue><VariableRef targetGUID="{role}" /><TextValue>leder</TextValue></VariableValue>
      <VariableValue><VariableRef targetGUID="{kommune}" /><TextValue>Fjordby Kommune</TextValue></VariableValue>
      <SourceRef targetGUID="{s1}" />
    </Case>
    <Case guid="{g('ca01', 2)}" name="Søren">
      <VariableValue><VariableRef targetGUID="{role}" /><TextValue>medarbejder</TextValue></VariableValue>
      <VariableValue><VariableRef targetGUID="{kommune}" /><TextValue>Hedelund Kommune</TextValue></VariableValue>
      <SourceRef targetGUID="{s2}" />
    </Case>
  </Cases>
  <Sources>
    <TextSource guid="{s1}" name="Interview Birgitte" richTextPath="internal://{s1}.docx" plainTextPath="internal://{s1}.txt" creatingUser="{mette}" creationDateTime="2025-03-01T09:10:00Z" modifyingUser="{mette}" modifiedDateTime="2025-03-01T09:10:00Z">
      <Description />
      {''.join(sels)}
    </TextSource>
    <TextSource guid="{s2}" name="Interview Søren" richTextPath="internal://{s2}.docx" creatingUser="{mette}" creationDateTime="2025-03-02T09:10:00Z">
      <Description />
      {docx_sel}
    </TextSource>
  </Sources>
  <Notes>
    <Note guid="{g('d001', 1)}" name="Ansvar" creatingUser="{mette}" creationDateTime="2025-03-05T12:00:00Z">
      <PlainTextContent>Skal deles op i myndighed og udfører.</PlainTextContent>
    </Note>
    <Note guid="{g('d001', 2)}" name="Projektlog" creatingUser="{jonas}" creationDateTime="2025-03-06T12:00:00Z">
      <Description>Log</Description>
      <PlainTextContent>Anden koder har kun kodet to udsagn.</PlainTextContent>
    </Note>
  </Notes>
  <NoteRef targetGUID="{g('d001', 2)}" />
</Project>"""
    files = {f"Sources/{s1}.txt": b"\xef\xbb\xbf" + crlf.encode("utf-8"),
             f"Sources/{s1}.docx": docx_bytes(NVIVO_TEXT.strip().split("\n")),
             f"Sources/{s2}.docx": docx_bytes(NVIVO_DOCX)}
    write("nvivo_shape.qdpx", qde, files)


# -- ATLAS.ti 8 (macOS) ----------------------------------------------------------------------
ATLAS_TEXT = (
    "I: Hvad betyder morgenmødet for jer?\n"
    "IP: Morgenmødet er stedet, hvor vi fordeler borgerne. Uden det ville vi træde hinanden over tæerne.\n"
    "I: Hvornår virker det ikke?\n"
    "IP: Når lederen ikke er der, bliver det en snakkeklub.\n"
)
ATLAS_PDF_TEXT = "Strategi for samarbejde\nFælles mål for 2025: færre overdragelser og hurtigere hjælp.\n"
ATLAS_VIDEO_TEXT = ("Anne: Velkommen til mødet.\nKarl: Tak. Vi starter med status.\nAnne: Godt.\n"
                    "Karl: Første punkt er ventelisten.\n")


def atlas() -> None:
    up = lambda prefix, n: "{" + g(prefix, n, upper=True) + "}" if n == 1 else g(prefix, n, upper=True)  # noqa: E731
    anna, bo = g("a002", 1, True), g("a002", 2, True)
    c_mode, c_leder, c_fordel, c_mal = (g("c002", i, True) for i in (1, 2, 3, 4))
    txt, pdf_rep, vid_txt = g("5002", 1, True), g("5002", 2, True), g("5002", 3, True)
    s_text, s_pdf, s_pic, s_vid = g("5102", 1, True), g("5102", 2, True), g("5102", 3, True), g("5102", 4, True)
    quote = selection(up("e002", 1), ATLAS_TEXT, "Morgenmødet er stedet, hvor vi fordeler borgerne.", anna,
                      [(g("f002", 1, True), c_fordel, anna), (g("f002", 2, True), c_mode, bo)],
                      extra="<Description>Kerneudsagn om koordinering.</Description>")
    quote2 = selection(g("e002", 2, True), ATLAS_TEXT, "Når lederen ikke er der, bliver det en snakkeklub.", bo,
                       [(g("f002", 3, True), c_leder, bo)])
    comment_only = selection(g("e002", 3, True), ATLAS_TEXT, "Uden det ville vi træde hinanden over tæerne.", anna, [],
                             extra="<Description>Billedsprog.</Description>")
    pdf_sel_guid = g("e002", 4, True)
    pa, pb = pos(ATLAS_PDF_TEXT, "færre overdragelser")
    qde = f"""<Project {NS} xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" origin="ATLAS.ti 8.4.0 573 , macOS Version 10.14.3" creatingUserGUID="{anna}" modifiedDateTime="2025-02-01T10:00:00Z" creationDateTime="2025-02-01T10:00:00Z" basePath="/Users/anna/Documents/Samarbejde Media" name="Morgenmøder">
    <Users>
        <User guid="{g('a002', 9, True)}" name="ATLAS.ti"/>
        <User guid="{anna}" name="Anna"/>
        <User guid="{bo}" name="Bo"/>
    </Users>
    <CodeBook>
        <Codes>
            <Code color="#F00082" isCodable="true" name="Morgenmøde" guid="{c_mode}"><Description>Det daglige møde</Description></Code>
            <Code color="#966450" isCodable="true" name="Ledelse::fravær" guid="{c_leder}"/>
            <Code isCodable="true" name="Fordeling af opgaver" guid="{c_fordel}"/>
            <Code color="#46AA00" isCodable="true" name="Fælles mål" guid="{c_mal}"/>
        </Codes>
    </CodeBook>
    <Sources>
        <TextSource plainTextPath="internal://{txt}.txt" richTextPath="internal://{g('5002', 9, True)}.docx" creatingUser="{anna}" creationDateTime="2025-02-01T10:05:00Z" guid="{s_text}" name="Morgenmøde Fjordby.docx">
            {comment_only}{quote}{quote2}
        </TextSource>
        <PictureSource path="internal://{g('5002', 4, True)}.jpg" guid="{s_pic}" name="tavle.jpg" creatingUser="{anna}" creationDateTime="2025-02-01T10:05:00Z">
            <PictureSelection firstX="10" firstY="10" secondX="200" secondY="120" guid="{g('e002', 5, True)}" name="Tavlen" creatingUser="{anna}" creationDateTime="2025-02-01T11:00:00Z">
                <Coding creatingUser="{anna}" creationDateTime="2025-02-01T11:00:00Z" guid="{g('f002', 4, True)}"><CodeRef targetGUID="{c_fordel}"/></Coding>
            </PictureSelection>
        </PictureSource>
        <PDFSource path="internal://{g('5002', 5, True)}.pdf" guid="{s_pdf}" name="Strategi.pdf" creatingUser="{anna}" creationDateTime="2025-02-01T10:05:00Z">
            <PDFSelection page="0" firstX="18" firstY="45" secondX="577" secondY="90" guid="{pdf_sel_guid}" name="færre overdragelser" creatingUser="{anna}" creationDateTime="2025-02-01T11:05:00Z">
                <Representation guid="{g('5002', 6, True)}"><PlainTextContent>færre overdragelser</PlainTextContent></Representation>
                <Coding creatingUser="{anna}" creationDateTime="2025-02-01T11:05:00Z" guid="{g('f002', 5, True)}"><CodeRef targetGUID="{c_mal}"/></Coding>
            </PDFSelection>
            <Representation plainTextPath="internal://{pdf_rep}.txt" guid="{pdf_rep}" name="Representation_for_Strategi.pdf">
                <PlainTextSelection startPosition="{pa}" endPosition="{pb}" guid="{pdf_sel_guid}" name="færre overdragelser" creatingUser="{anna}" creationDateTime="2025-02-01T11:05:00Z">
                    <Coding creatingUser="{anna}" creationDateTime="2025-02-01T11:05:00Z" guid="{g('f002', 6, True)}"><CodeRef targetGUID="{c_mal}"/></Coding>
                </PlainTextSelection>
            </Representation>
        </PDFSource>
        <VideoSource path="relative:///{g('5002', 7, True)}.mp4" guid="{s_vid}" name="Møde.mp4" creatingUser="{anna}" creationDateTime="2025-02-01T10:05:00Z">
            <Transcript plainTextPath="internal://{vid_txt}.txt" guid="{g('5202', 1, True)}" name="Møde - transskription.docx" creatingUser="{anna}" creationDateTime="2025-02-01T10:06:00Z">
                <SyncPoint guid="{g('5302', 1, True)}" position="0" timeStamp="0"/>
                <SyncPoint guid="{g('5302', 2, True)}" position="{ATLAS_VIDEO_TEXT.index('Karl')}" timeStamp="4200"/>
                <SyncPoint guid="{g('5302', 3, True)}" position="{ATLAS_VIDEO_TEXT.index('Anne: Godt')}" timeStamp="9800"/>
                <SyncPoint guid="{g('5302', 4, True)}" position="{ATLAS_VIDEO_TEXT.index('Karl: Første')}" timeStamp="12100"/>
            </Transcript>
            <VideoSelection begin="4200" end="9800" guid="{g('e002', 6, True)}" name="00:04.20 – 00:09.80" creatingUser="{bo}" creationDateTime="2025-02-01T11:10:00Z">
                <Coding creatingUser="{bo}" creationDateTime="2025-02-01T11:10:00Z" guid="{g('f002', 7, True)}"><CodeRef targetGUID="{c_mode}"/></Coding>
            </VideoSelection>
        </VideoSource>
    </Sources>
    <Notes>
        <Note creatingUser="{anna}" creationDateTime="2025-02-02T09:00:00Z" name="Forskningsplan" guid="{g('d002', 1, True)}">
            <Description>Dagbog for projektet</Description>
            <PlainTextContent>Vi følger tre morgenmøder i Fjordby. </PlainTextContent>
        </Note>
        <Note creatingUser="{bo}" creationDateTime="2025-02-02T09:30:00Z" name="Om snakkeklubben" guid="{g('d002', 2, True)}">
            <PlainTextContent>Sammenlign med Hedelund.</PlainTextContent>
        </Note>
    </Notes>
    <Links>
        <Link direction="OneWay" color="#000000" originGUID="{g('d002', 2, True)}" name="Memo-Quotation Relation" targetGUID="{g('e002', 2, True)}" guid="{g('1002', 1, True)}"/>
    </Links>
    <Sets>
        <Set guid="{g('7002', 1, True)}" name="Fjordby"><MemberSource targetGUID="{s_text}"/><MemberSource targetGUID="{s_pic}"/></Set>
        <Set guid="{g('7002', 2, True)}" name="Koordinering"><Description>Koder om koordinering</Description><MemberCode targetGUID="{c_mode}"/><MemberCode targetGUID="{c_fordel}"/></Set>
        <Set guid="{g('7002', 3, True)}" name="&lt;3"/>
        <Set guid="{g('7002', 4, True)}" name="Notater"><MemberNote targetGUID="{g('d002', 1, True)}"/></Set>
    </Sets>
    <Graphs>
        <Graph guid="{g('8002', 1, True)}" name="Netværk">
            <Vertex firstX="10" firstY="10" secondX="100" secondY="40" representedGUID="{c_mode}" guid="{g('8102', 1, True)}" name="Morgenmøde" shape="Rectangle"/>
        </Graph>
    </Graphs>
</Project>"""
    files = {f"sources/{txt}.txt": ATLAS_TEXT.encode("utf-8"), f"sources/{pdf_rep}.txt": ATLAS_PDF_TEXT.encode("utf-8"),
             f"sources/{g('5002', 5, True)}.pdf": pdf_bytes(ATLAS_PDF_TEXT.strip().split("\n")),
             f"sources/{vid_txt}.txt": ATLAS_VIDEO_TEXT.encode("utf-8")}
    write("atlas_shape.qdpx", qde, files, qde_name="Project.qde")


# -- MAXQDA 24 --------------------------------------------------------------------------------
MAXQDA_TEXTS = [
    ("Interview 01 Fjordby", "I: Hvad hæmmer jer?\nB: Vi har for mange systemer. Intet taler sammen.\nI: Og så?\nB: Så ringer vi.\n"),
    ("Interview 02 Fjordby", "I: Hvad fremmer jer?\nB: Korte veje til lederen. Vi kan altid ringe.\nI: Altid?\nB: Næsten.\n"),
    ("Interview 03 Hedelund", "I: Hvad hæmmer jer?\nB: Vi sidder i hver vores bygning.\nI: Hvor?\nB: I hver sin by.\n"),
]


def maxqda() -> None:
    user = g("a003", 1, True)
    parents = [("C0030000-1700-4000-8000-000000000001", "Barrierer", "#ef8256"),
               ("C0030000-1700-4000-8000-000000000002", "Drivkræfter", "#57b35f")]
    kids = {"Barrierer": [("Systemer", "Apply when IT systems block the work."), ("Afstand", "")],
            "Drivkræfter": [("Korte veje", "Direkte kontakt til ledelsen.")]}
    code_guid = {}
    codes = []
    k = 10
    for pg, name, color in parents:
        inner = []
        for kid, desc in kids[name]:
            k += 1
            code_guid[kid] = g("c003", k, True)
            d = f"<Description>{esc(desc)}</Description>" if desc else "<Description></Description>"
            inner.append(f'<Code color="{color}" guid="{code_guid[kid]}" name="{esc(kid)}" isCodable="true">{d}</Code>')
        codes.append(f'<Code color="{color}" guid="{pg}" name="{esc(name)}" isCodable="true"><Description>Overkategori</Description>{"".join(inner)}</Code>')
    sources, files = [], {}
    plan = {0: [("Vi har for mange systemer.", "Systemer", "Nævnt to gange.")], 1: [("Korte veje til lederen.", "Korte veje", "")],
            2: [("Vi sidder i hver vores bygning.", "Afstand", "")]}
    guids = []
    for i, (name, text) in enumerate(MAXQDA_TEXTS):
        sg = g("5003", i + 1, True)
        guids.append(sg)
        crlf = text.replace("\n", "\r\n")
        sels = "".join(
            selection(g("e003", 10 * i + j, True), crlf, words, user, [(g("f003", 10 * i + j, True), code_guid[code], user)],
                      extra=f"<Description>{esc(comment)}</Description>" if comment else "")
            for j, (words, code, comment) in enumerate(plan[i]))
        sources.append(f'<TextSource modifyingUser="{user}" guid="{sg}" creatingUser="{user}" creationDateTime="2024-10-18T23:23:46Z"'
                       f' name="{esc(name)}" plainTextPath="internal://{sg}.txt" modifiedDateTime="2024-10-18T23:23:46Z">{sels}</TextSource>')
        files[f"sources/{sg}.txt"] = crlf.encode("utf-8")
    qde = f"""<Project xsi:schemaLocation="urn:QDA-XML:project:1.0 http://schema.qdasoftware.org/versions/Project/v1.0/Project.xsd" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" {NS} origin="MAXQDA 24 (Release 24.7.0)" name="Tværfagligt samarbejde" modifiedDateTime="2025-07-14T18:42:34Z">
 <Users>
  <User guid="{user}" name="lise"/>
 </Users>
 <CodeBook>
  <Codes>
   {"".join(codes)}
  </Codes>
 </CodeBook>
 <Sources>
  {"".join(sources)}
 </Sources>
 <Sets>
  <Set guid="{g('7003', 1, True)}" name="Fjordby"><MemberSource targetGUID="{guids[0]}"/><MemberSource targetGUID="{guids[1]}"/></Set>
  <Set guid="{g('7003', 2, True)}" name="Hedelund"><MemberSource targetGUID="{guids[2]}"/></Set>
 </Sets>
</Project>"""
    write("maxqda_shape.qdpx", qde, files)


# -- QualCoder 3 -----------------------------------------------------------------------------------
QC_TEXT = "I: Hvordan er det at være ny?\nIP: De første uger var hårde. Min mentor hjalp mig meget.\n"
QC_PDF_TEXT = "Velkomstpjece\nDin mentor er din første kontakt.\n"
QC_AUDIO_TEXT = "[00:00:00] I: Velkommen.\n[00:00:05] IP: Tak, jeg glæder mig.\n[00:00:09] I: Godt.\n"


def qualcoder() -> None:
    user = g("a004", 1)
    c_start, c_mentor = g("c004", 1), g("c004", 2)
    s_txt, s_pdf, s_audio = g("5004", 1), g("5004", 2), g("5004", 3)
    f_txt, f_pdf, f_audio, f_journal = g("5104", 1), g("5104", 2), g("5104", 3), g("5104", 4)
    v_age, v_role = g("b004", 1), g("b004", 2)
    a, b = pos(QC_TEXT, "De første uger var hårde.")
    na, nb = pos(QC_TEXT, "Min mentor hjalp mig meget.")
    pa, pb = pos(QC_PDF_TEXT, "Din mentor er din første kontakt.")
    t1, t2 = QC_AUDIO_TEXT.index("[00:00:05]"), QC_AUDIO_TEXT.index("[00:00:09]")
    qde = f"""<Project xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" name="Nye medarbejdere" origin="QualCoder 3.5" creatingUserGUID="{user}" creationDateTime="2025-01-05T09:00:00Z" {NS}>
<Users>
<User guid="{user}" name="default" />
</Users>
<CodeBook>
<Codes>
<Code guid="{c_start}" name="Opstart" isCodable="true" color="#F1948A">
<Description>Den første tid i jobbet</Description>
<Code guid="{c_mentor}" name="Mentor" isCodable="true" color="#52BE80">
</Code>
</Code>
</Codes>
</CodeBook>
<Variables>
<Variable guid="{v_age}" name="alder" typeOfVariable="Float" >
<Description>Alder ved interview</Description>
</Variable>
<Variable guid="{v_role}" name="role" typeOfVariable="Text" >
<Description />
</Variable>
</Variables>
<Cases>
<Case guid="{g('ca04', 1)}" name="Lærke">
<Description>Nyansat sagsbehandler</Description>
<VariableValue>
<VariableRef targetGUID="{v_age}" />
<FloatValue>27.5</FloatValue>
</VariableValue>
<VariableValue>
<VariableRef targetGUID="{v_role}" />
<TextValue>medarbejder</TextValue>
</VariableValue>
<SourceRef targetGUID="{s_txt}"/>
<SourceRef targetGUID="{s_audio}"/>
</Case>
</Cases>
<Sources>
<TextSource richTextPath="internal://{f_txt}.docx" plainTextPath="internal://{f_txt}.txt" creatingUser="{user}" creationDateTime="2025-01-05T09:10:00Z" guid="{s_txt}" name="laerke.txt">
<Description>Første interview</Description>
<PlainTextSelection guid="{g('e004', 1)}" startPosition="{a}" endPosition="{b}" name="De første uger var hårde." creatingUser="{user}" creationDateTime="2025-01-05T10:00:00Z">
<Description>Vigtigt citat</Description>
<Coding guid="{g('f004', 1)}" creatingUser="{user}" >
<CodeRef targetGUID="{c_start}" />
</Coding>
</PlainTextSelection>
<NoteRef targetGUID="{g('d004', 2)}" />
</TextSource>
<PDFSource path="internal://{f_pdf}.pdf" creatingUser="{user}" creationDateTime="2025-01-05T09:20:00Z" guid="{s_pdf}" name="velkomst.pdf">
<Representation guid="{g('5204', 1)}" plainTextPath="internal://{g('5204', 1)}.txt" creatingUser="{user}" name="velkomst.pdf">
<PlainTextSelection guid="{g('e004', 2)}" startPosition="{pa}" endPosition="{pb}" name="mentor" creatingUser="{user}" creationDateTime="2025-01-05T10:05:00Z">
<Coding guid="{g('f004', 2)}" creatingUser="{user}" >
<CodeRef targetGUID="{c_mentor}" />
</Coding>
</PlainTextSelection>
</Representation></PDFSource>
<AudioSource creatingUser="{user}" creationDateTime="2025-01-05T09:30:00Z" path="internal://{f_audio}.m4a" guid="{s_audio}" name="laerke.m4a" >
<Transcript plainTextPath="internal://{g('5204', 2)}.txt" creatingUser="{user}" creationDateTime="2025-01-05T09:31:00Z" guid="{g('5304', 1)}" name="laerke.m4a.transcribed" >
<SyncPoint guid="{g('5404', 1)}" position="0" timeStamp="0" />
<SyncPoint guid="{g('5404', 2)}" position="{t1}" timeStamp="5000" />
<SyncPoint guid="{g('5404', 3)}" position="{t2}" timeStamp="9000" />
<TranscriptSelection guid="{g('e004', 3)}" name="laerke.m4a.transcribed" fromSyncPoint="{g('5404', 2)}" toSyncPoint="{g('5404', 3)}">
<Coding guid="{g('f004', 3)}" >
<CodeRef targetGUID="{c_start}" />
</Coding>
</TranscriptSelection>
</Transcript>
</AudioSource>
</Sources>
<Notes>
<Note guid="{g('d004', 1)}" creatingUser="{user}" creationDateTime="2025-01-06T08:00:00Z" name="Dagbog 6. januar"  plainTextPath="internal://{f_journal}.txt" >
<Description /></Note>
<Note guid="{g('d004', 2)}" creatingUser="{user}" creationDateTime="2025-01-06T08:30:00Z" >
<PlainTextContent>Mentorordningen nævnes uopfordret.</PlainTextContent>
<PlainTextSelection guid="{g('e004', 4)}" startPosition="{na}" endPosition="{nb}" />
</Note>
</Notes>
<Description>Projekt om opstart i jobcentret</Description>
</Project>"""
    files = {f"sources/{f_txt}.txt": QC_TEXT.encode("utf-8"), f"sources/{g('5204', 1)}.txt": QC_PDF_TEXT.encode("utf-8"),
             f"sources/{f_pdf}.pdf": pdf_bytes(QC_PDF_TEXT.strip().split("\n")),
             f"sources/{g('5204', 2)}.txt": QC_AUDIO_TEXT.encode("utf-8"),
             f"sources/{f_journal}.txt": "I dag interviewede jeg Lærke.".encode("utf-8")}
    write("qualcoder_shape.qdpx", qde, files)


# -- odd paths, a PDF without representation, duplicate code GUIDs ----------------------------------
ODD_TEXTS = {
    "bestyrelse_2017.txt": "I: Hvad skete der i 2017?\nIP: Bestyrelsen besluttede at lukke afdelingen.\n",
    "rel.txt": "I: Og så?\nIP: Medarbejderne blev flyttet til Hedelund.\n",
    "abs.txt": "I: Hvordan gik det?\nIP: Det tog et år, før vi fandt vores ben igen.\n",
}
ODD_PDF = ["Referat af bestyrelsesmøde", "Beslutning: afdelingen lukkes.", "Ansvarlig: Søren Ø."]


def odd_paths() -> None:
    user1, user2, user3 = g("a005", 1), g("a005", 2), g("a005", 3)
    dup = g("c005", 1)
    refs = [("bestyrelse_2017.txt", "bestyrelse_2017.txt", "Bestyrelsen besluttede at lukke afdelingen."),
            ("relative://sources/rel.txt", "rel.txt", "Medarbejderne blev flyttet til Hedelund."),
            ("absolute://C:/Users/pia/Projekt/abs.txt", "abs.txt", "Det tog et år, før vi fandt vores ben igen.")]
    sources = []
    for i, (ref, file, words) in enumerate(refs, start=1):
        coder = (user1, user2, user3)[i - 1]
        sel = selection(g("e005", i), ODD_TEXTS[file], words, coder, [(g("f005", i), dup if i != 2 else g("c005", 2), coder)])
        sources.append(f'<TextSource guid="{g("5005", i)}" name="{file}" plainTextPath="{ref}">{sel}</TextSource>')
    sources.append(f'<TextSource guid="{g("5005", 4)}" name="udenfor" plainTextPath="internal://../../etc/passwd"/>')
    sources.append(f'<PDFSource guid="{g("5005", 5)}" name="referat.pdf" path="internal://referat.pdf"/>')
    qde = f"""<Project {NS} name="Stier" origin="Ukendt værktøj 1.0">
<Users><User guid="{user1}" name="Pia"/><User guid="{user2}" name="Ole"/><User guid="{user3}" name="Ida"/></Users>
<CodeBook><Codes>
  <Code guid="{dup}" name="Beslutning" isCodable="true"/>
  <Code guid="{g('c005', 2)}" name="Flytning" isCodable="true"/>
  <Code guid="{dup}" name="Beslutning (kopi)" isCodable="true"/>
</Codes></CodeBook>
<Sources>{"".join(sources)}</Sources>
</Project>"""
    files = {f"sources/{name}": text.encode("utf-8") for name, text in ODD_TEXTS.items()}
    files["sources/referat.pdf"] = pdf_bytes(ODD_PDF)
    files["passwd"] = b"root:x:0:0"
    write("odd_paths.qdpx", qde, files)


def unzipped() -> None:
    folder = OUT / "unzipped"
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "sources").mkdir(parents=True)
    text = "I: Hvad er vigtigst?\nIP: At borgeren kun skal fortælle sin historie én gang.\n"
    (folder / "sources" / "borger.txt").write_text(text, encoding="utf-8")
    a, b = pos(text, "At borgeren kun skal fortælle sin historie én gang.")
    qde = f"""<Project {NS} name="Udpakket" origin="QualCoder 3.5">
<Users><User guid="{g('a006', 1)}" name="Kim"/></Users>
<CodeBook><Codes><Code guid="{g('c006', 1)}" name="Én indgang" isCodable="true"/></Codes></CodeBook>
<Sources><TextSource guid="{g('5006', 1)}" name="borger" plainTextPath="internal://borger.txt">
<PlainTextSelection guid="{g('e006', 1)}" startPosition="{a}" endPosition="{b}" creatingUser="{g('a006', 1)}">
<Coding guid="{g('f006', 1)}" creatingUser="{g('a006', 1)}"><CodeRef targetGUID="{g('c006', 1)}"/></Coding>
</PlainTextSelection></TextSource></Sources>
</Project>"""
    (folder / "project.qde").write_text(HEAD + qde, encoding="utf-8")


def taguette() -> None:
    codes = "".join(f'<Code guid="{g("c007", i, True)}" name="{name}" isCodable="true"/>'
                    for i, name in enumerate(["barrierer", "barrierer.tidspres", "drivkræfter"], start=1))
    (OUT / "taguette_shape.qdc").write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="Taguette 1.4.1">'
        f"<Codes>{codes}</Codes><Sets/></CodeBook>", encoding="utf-8")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for build in (nvivo, atlas, maxqda, qualcoder, odd_paths, unzipped, taguette):
        build()
    print(f"written: {', '.join(sorted(p.name for p in OUT.iterdir()))}")


if __name__ == "__main__":
    main()
