# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
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
from qualcode.widget import CodingSession, CodingWidget, Filters

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
# begrundelse.

# %%
forslagsmotor = build_suggester(projekt, coder=koder)
dokument = projekt.documents.all()[0]
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
# ## Kodning
# Acceptér eller afvis forslagene, tilføj en hvilken som helst kode fra listen, skriv et memo,
# og fortryd det sidste skridt. Genveje: skriv `1`-`9`, `a`, `r`, `n`, `p` eller `u` i
# kommandofeltet og tryk Enter.

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
# ## Dine kodninger indtil nu

# %%
projekt.codings_df(status="accepted", coder=koder)[["code_id", "decided_by", "text"]]
