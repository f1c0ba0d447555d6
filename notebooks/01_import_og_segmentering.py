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
# # 01 · Import og segmentering
#
# Denne notesbog importerer interviewene i `transcripts_sample/` til ét projekt (én
# SQLite-fil) og viser, hvordan de er delt op i **taleture** og **sætninger**.
#
# Alle positioner i qualcode er *tegn-positioner* i den normaliserede tekst (NFC,
# linjeskift `\n`), så et udsnit af teksten altid kan findes igen præcist.
#
# Sæt `QUALCODE_WORKDIR` for at bruge en anden arbejdsmappe end `arbejde/`.

# %%
import os
from pathlib import Path

from qualcode import Project, import_files
from qualcode.demo import sample_dir, sample_files

arbejdsmappe = Path(os.environ.get("QUALCODE_WORKDIR", "arbejde"))
arbejdsmappe.mkdir(parents=True, exist_ok=True)
projektfil = arbejdsmappe / "studie.qcp"
eksempler = sample_dir()
filer = sample_files(eksempler)
[f.name for f in filer]

# %% [markdown]
# ## Import
# Metadata-filen kobler hver fil til deltagerens rolle, kommune og interviewerens
# talerbetegnelse. Filer i Word, tekst (også Windows-1252), WebVTT fra Teams/Zoom og SRT
# læses direkte.

# %%
projekt = Project.open(projektfil)
rapport = import_files(projekt, filer, metadata_csv=eksempler / "metadata.csv", progress=False)
print(f"Importeret: {len(rapport.imported)}, uændrede: {len(rapport.unchanged)}, fejl: {len(rapport.failed)}")
for advarsel in rapport.warnings:
    print("Advarsel:", advarsel)

# %%
dokumenter = projekt.documents_df()
dokumenter[["document_id", "name", "format", "words", "meta_role", "meta_municipality"]]

# %% [markdown]
# ## Taleture
# Hver tur kender sin taler, om det er intervieweren, og deltagerens rolle.

# %%
ture = projekt.turns_df()
ture.groupby(["role"]).size().rename("taleture")

# %% [markdown]
# ## Sætninger
# Sætningerne er kodningens enhed. Danske forkortelser som *bl.a.*, *fx* og *ca.*
# afslutter ikke en sætning.

# %%
saetninger = projekt.segments_df()
saetninger[~saetninger.is_interviewer][["document_id", "speaker", "role", "text"]].head(10)

# %% [markdown]
# Positionerne peger præcist ind i dokumentets tekst:

# %%
s = saetninger.iloc[5]
tekst = projekt.documents.get(int(s.document_id)).text
assert tekst[s.start : s.end] == s.text
print(s.start, s.end, repr(s.text))

# %% [markdown]
# ## Genimport
# At importere de samme filer igen gør ingenting (indholdet genkendes på sin hash), så
# ingen kodning går tabt eller bliver dobbelt.

# %%
igen = import_files(projekt, filer, metadata_csv=eksempler / "metadata.csv", progress=False)
print(f"Importeret: {len(igen.imported)}, uændrede: {len(igen.unchanged)}")
projekt.close()
