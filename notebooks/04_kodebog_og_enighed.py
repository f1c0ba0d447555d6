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
# # 04 · Kodebog og enighed
#
# Når et team forfiner en kodebog, skal man se, hvilke koder der bruges, hvilke der aldrig
# bruges, hvilke der dækker næsten alt, og hvilke der ofte optræder sammen. Og når to kodere har
# kodet de samme interviews blindt, skal man måle enigheden og finde de koder, der forveksles.

# %%
import os
from dataclasses import replace
from pathlib import Path

from qualcode import Project
from qualcode.agreement import agreement, coded_units, confusion_matrix, confusion_table, disagreement_table
from qualcode.codebook import broad_codes, co_occurrence, code_usage, diff_codebooks, diff_text, load_codebook, unused_codes
from qualcode.demo import GOLD_CODER, codebook_path, prepare_sample_project
from qualcode.suggest.workflow import build_suggester, suggest_project

arbejdsmappe = Path(os.environ.get("QUALCODE_WORKDIR", "arbejde"))
arbejdsmappe.mkdir(parents=True, exist_ok=True)
projekt = Project.open(arbejdsmappe / "studie.qcp")
prepare_sample_project(projekt)

# %% [markdown]
# ## Brug af koderne
# Antal kodninger, dokumenter og deltagere pr. kode, og andelen af alle sætninger.

# %%
brug = code_usage(projekt)
brug.head(12)

# %% [markdown]
# Koder, der aldrig er brugt, og koder, der er brugt på en stor del af sætningerne (kandidater
# til at blive delt op eller skærpet):

# %%
unused_codes(projekt)

# %%
broad_codes(projekt, threshold=0.05)

# %% [markdown]
# ## Koder, der optræder sammen
# Par af koder på samme sætning, med antal og Jaccard-indeks. Høje værdier kan betyde, at to
# koder overlapper og bør slås sammen eller afgrænses bedre.

# %%
co_occurrence(projekt).head(10)

# %% [markdown]
# ## En ny version af kodebogen
# `diff` viser, hvad der er ændret mellem to versioner: nye, fjernede, omdøbte og flyttede koder og
# ændrede definitioner og nøgleord. Her sammenlignes med en version, hvor én kode er omdøbt.

# %%
gammel = load_codebook(codebook_path())
kode = gammel.codes[1]
ny = replace(gammel, version="2", codes=tuple(
    replace(k, name=k.name + " (revideret)") if k.id == kode.id else k for k in gammel.codes
))
print(diff_text(diff_codebooks(gammel, ny)))

# %% [markdown]
# ## Enighed mellem to kodere
# Eksemplet bygger på eksempeldataene: guldkodningen (koder `gold`) sammenlignes med en anden
# "koder" (`maskine`), som er simuleret ved at acceptere motorens bedste forslag, når scoren er
# mindst 0,5. Med rigtige data er det to forskere, der har kodet de samme interviews blindt.

# %%
if not projekt.codings.query(coder="maskine"):
    motor = build_suggester(projekt)
    nye = suggest_project(projekt, motor, coder="maskine", top=1, min_score=0.5)
    for kodning_id in nye:
        projekt.codings.decide(kodning_id, "accepted", "maskine")
enighed = agreement(projekt, coders=[GOLD_CODER, "maskine"], unit="sentence")
enighed.head(12)

# %% [markdown]
# Hvilke koder forveksles med hvilke? Listen er sorteret efter antal forvekslinger; matricen
# har den ene koders koder som rækker og den andens som kolonner.

# %%
enheder = coded_units(projekt, coders=[GOLD_CODER, "maskine"], unit="sentence")
confusion_table(enheder).head(10)

# %%
confusion_matrix(enheder)

# %% [markdown]
# Uenighederne til konsensusmødet: sætningen i kontekst og hver koders koder. Den aftalte kodning
# gemmes som en ny konsensus-kodning; de oprindelige bevares.

# %%
disagreement_table(enheder).head(5)

# %%
projekt.close()
