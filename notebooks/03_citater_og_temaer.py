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
# # 03 · Citater og temaer
#
# Fra kodningerne til rapporten: **anonymiserede citater** med rollen i parentes, sådan som
# danske evalueringsrapporter bringer dem, og **temaoptællinger**: hvor mange interviewpersoner
# der har nævnt hvert tema, fordelt på roller.
#
# For at notesbogen giver et fyldigt billede, lægges eksempeldataenes guldstandard-kodning ind
# som kodningen fra koderen `gold` (tydeligt mærket som sådan).

# %%
import os
from pathlib import Path

from qualcode import Project
from qualcode.demo import prepare_sample_project
from qualcode.report import build_report, code_frequencies, crosstab, group_sizes, quote_table, shortlist
from qualcode.report.charts import code_role_heatmap, theme_bars

arbejdsmappe = Path(os.environ.get("QUALCODE_WORKDIR", "arbejde"))
arbejdsmappe.mkdir(parents=True, exist_ok=True)
projekt = Project.open(arbejdsmappe / "studie.qcp")
prepare_sample_project(projekt)
print(f"{len(projekt.codings.query(status='accepted'))} accepterede kodninger")

# %% [markdown]
# ## Citater
# Citaterne er anonymiseret som standard: navne, steder, kommuner, telefonnumre, e-mails og
# cpr-numre er erstattet med mærker som `[Person 3]` og `[Kommune A]`. Fyldord (øh, æh) og
# transskriptionsnoter som `[pause]` og `(griner)` er fjernet til tryk, og udeladelser er markeret
# med »…«; den uredigerede tekst står i kolonnen ved siden af. Kolonnen `passage` er citatet
# udvidet til hele sætninger fra samme svar, så det kan stå alene.

# %%
citater = quote_table(projekt, codes=["barrierer"], roles=["chef", "leder"], widen=True)
citater[["code_name", "passage", "attribution", "stands_alone"]].head(8)

# %% [markdown]
# ## De stærkeste citater pr. kode
# Udvalget spreder sig først over roller og interviewpersoner (hver rolle med materiale til en kode
# får et citat, før nogen rolle får to), derefter tæller kodernes vurdering, modellens sikkerhed og
# en læsevenlig længde, aldrig rækkefølgen i materialet. Hvert citat bruges kun én gang.

# %%
udvalg = shortlist(quote_table(projekt, widen=True), per_code=2)
for _, raekke in udvalg.head(6).iterrows():
    print(f"{raekke['code_name']}: »{raekke['passage']}« {raekke['attribution']}\n")

# %% [markdown]
# ## Hvor mange nævner hvert tema?

# %%
hyppigheder = code_frequencies(projekt)
hyppigheder.head(12)

# %%
efter_rolle = crosstab(projekt, "role")
efter_rolle

# %% [markdown]
# ## Figurer
# Søjler pr. tema og et varmekort kode × rolle (andel af hver rolles interviewpersoner, n i
# kolonneoverskriften), som PNG og SVG i trykstørrelse til en A4-side, klar til Word.

# %%
figurer = arbejdsmappe / "figurer"
theme_bars(hyppigheder, figurer / "temaer") + code_role_heatmap(
    efter_rolle, figurer / "kode_rolle", sizes=group_sizes(projekt, "role"))

# %% [markdown]
# ## Hele rapporten
# Word-rapporten er A4 med dansk korrektur, rigtige typografier (Overskrift 1, 2, citat), tabeller
# med kolonnebredder efter indholdet og et metodeafsnit skrevet ud fra projektets data.

# %%
filer = build_report(projekt, arbejdsmappe / "rapport", formats=("docx", "xlsx", "csv", "md"))
[p.name for p in filer.files]

# %%
projekt.close()
