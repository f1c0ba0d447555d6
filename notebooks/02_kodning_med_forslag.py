# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 02 · Kodning med forslag
#
# Her kodes interviewene sætning for sætning mod kodebogen **Barrierer og drivkræfter**.
# qualcode foreslår de mest sandsynlige koder med en begrundelse, du kan tjekke. Forslagene
# bygger først på kodebogen alene (nøgleord, definitioner og eksempler) og lærer derefter af
# hver accept og afvisning.
#
# Hvert klik gemmes straks i projektfilen, så intet går tabt, hvis kernen dør.
# Sæt `QUALCODE_CODER` til dit navn, så dine kodninger bærer dit navn.

# %%
import os
from pathlib import Path

from qualcode import Project, import_files
from qualcode.codebook import load_codebook
from qualcode.demo import sample_dir, sample_files
from qualcode.suggest.workflow import build_suggester, learn_fn, next_segments, suggest_fn, suggest_project
from qualcode.widget import CodingSession, CodingWidget, DocumentView, Filters

arbejdsmappe = Path(os.environ.get("QUALCODE_WORKDIR", "arbejde"))
arbejdsmappe.mkdir(parents=True, exist_ok=True)
projektfil = arbejdsmappe / "studie.qcp"
koder = os.environ.get("QUALCODE_CODER", "forsker")

projekt = Project.open(projektfil)
if not projekt.documents.all():
    # Notesbog 01 er ikke kørt: importér eksemplerne her.
    import_files(projekt, sample_files(sample_dir()), metadata_csv=sample_dir() / "metadata.csv", progress=False)
print(f"{len(projekt.documents.all())} interviews i {projektfil}; koder: {koder}")

# %% [markdown]
# ## Kodebogen
# Kodebogen lægges i projektet som en versioneret kopi. Kodningerne peger på kodernes faste
# id'er, så en kode kan omdøbes senere uden at miste noget.

# %%
kodebog = load_codebook(sample_dir().parent / "codebooks" / "barrierer_drivkraefter.yaml")
if not projekt.codebook.code_ids():
    projekt.codebook.apply(kodebog, koder)
[(k.id, k.name) for k in projekt.codebook.current().roots()]

# %% [markdown]
# ## Forslag
# Vi beregner forslag til ét interview ad gangen. Hvert forslag har en score mellem 0 og 1 og en
# begrundelse. Vi arbejder med interviewet med jobcenterchefen i Fjordby, som har tidsangivelser,
# så man kan lytte til optagelsen fra et segment.

# %%
forslagsmotor = build_suggester(projekt, coder=koder)
dokument = projekt.documents.by_name("02_chef_fjordby.txt") or projekt.documents.all()[0]
nye = suggest_project(projekt, forslagsmotor, document_id=dokument.id, coder=koder)
print(f"{len(nye)} forslag gemt til {dokument.name}")
projekt.codings_df(status="suggested", coder=koder)[["code_id", "score", "text"]].head(8)

# %% [markdown]
# ## Hvad skal kodes først?
# Rækkefølgen "usikker" sætter de segmenter først, hvor motoren er mindst sikker: dér lærer den
# mest af din beslutning. "sandsynlig" sætter de sandsynlige fund først.

# %%
for punkt in next_segments(projekt, forslagsmotor, order="uncertain", limit=5, document_id=dokument.id):
    print(f"{punkt.priority:.2f}  {punkt.segment.text[:90]}")

# %% [markdown]
# ## Kodning segment for segment
# Køen viser ét segment ad gangen med sætningerne omkring og slutningen af interviewerens
# spørgsmål. Acceptér eller afvis forslagene, tilføj en hvilken som helst kode fra listen, skriv et
# memo, og fortryd det sidste skridt. Genveje: skriv `1`-`9`, `a`, `r`, `n`, `p` eller `u` i
# kommandofeltet og tryk Enter. »Åbn i dokumentvisning« viser segmentet i hele interviewet.

# %%
session = CodingSession(
    projekt,
    koder,
    suggest=suggest_fn(forslagsmotor, project=projekt),
    learn=learn_fn(forslagsmotor),
    filters=Filters(document_id=dokument.id),
)
CodingWidget(session)

# %% [markdown]
# ## Hele interviewet: dokumentvisningen
# Her læser du interviewet fra start til slut, som i NVivo eller MAXQDA. Markér et udsnit med
# musen – et halvt udsagn eller flere sætninger – og vælg en kode i listen, der dukker op: øverst
# står forslagene til netop det udsnit og de koder, du har brugt senest. Kodningerne vises som
# farvede markeringer i teksten og som striber med kodens navn i margenen. Klik på en markering
# eller en stribe for at skifte kode, ændre udsnittet, slette (kodningen bevares i historikken)
# eller skrive et memo. Maskinens forslag står som stiplede linjer med score; ✓ accepterer,
# ✗ afviser, og skyderen bestemmer, hvor sikre forslagene skal være for at blive vist.
#
# Søgefeltet finder et ord i alle dets bøjninger (»budget« finder også »budgettet« og
# »budgetter«), og »Kod alle fund …« koder fundene som forslag i én kørsel, som Fortryd tager
# tilbage. Har du linket optagelsen (`qualcode media link 02_chef_fjordby.txt optagelse.mp3
# --project arbejde/studie.qcp`), afspiller ▶ ud for en taletur optagelsen fra dens tidspunkt.

# %%
visning = DocumentView(projekt, dokument.id, coder=koder, suggester=forslagsmotor)
visning

# %% [markdown]
# ## Søgning og autokodning fra Python
# `projekt.search` giver alle fund med dokument, taler, rolle og position som en tabel;
# `autocode` koder dem (som forslag, indtil du accepterer), og `undo_autocode` fortryder en kørsel.

# %%
from qualcode.search import autocode, undo_autocode

projekt.search("budget", role="chef")[["document", "speaker", "left", "hit", "right"]].head(8)

# %%
resultat = autocode(projekt, "budget*", "barriere.oekonomi", koder, document_id=dokument.id)
print(f"Kørsel {resultat.run.id}: {resultat.coded} forslag" if resultat.run else "Intet nyt at kode")

# %% [markdown]
# ## Dine kodninger indtil nu

# %%
projekt.codings_df(status="accepted", coder=koder)[["code_id", "decided_by", "text"]]
